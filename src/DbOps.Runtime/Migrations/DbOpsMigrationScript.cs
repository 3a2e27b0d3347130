using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DbUp.Engine;
using DbUp.Engine.Transactions;

namespace DbOps.Runtime;

/// <summary>One executable piece of a migration script: a statement batch and whether it runs inside a transaction.</summary>
/// <param name="Sql">The SQL text (may hold several statements; one batch on SQL Server).</param>
/// <param name="InTransaction">False for a <c>-- dbops:no-transaction</c> section.</param>
public readonly record struct DbOpsScriptPiece(string Sql, bool InTransaction);

/// <summary>A committed migration script (<c>Migrations/NNNN_name.sql</c>) as the migrator runs it.</summary>
public sealed partial class DbOpsMigrationScript
{
    /// <summary>A line that, trimmed, is exactly this starts a section that runs outside any transaction.</summary>
    public const string NoTransactionMarker = "-- dbops:no-transaction";

    /// <summary>A line that, trimmed, is exactly this starts a section that runs inside a transaction.</summary>
    public const string TransactionMarker = "-- dbops:transaction";

    private DbOpsMigrationScript(int number, string name, string text)
    {
        Number = number;
        Name = name;
        Text = text;
        Checksum = ComputeChecksum(text);
        Pieces = Split(text);
        BaselineTables = ParseBaselineTables(text);
    }

    /// <summary>The number before the first underscore (<c>2</c> for <c>0002_add_phone.sql</c>).</summary>
    public int Number { get; }

    /// <summary>The file name, e.g. <c>0002_add_phone.sql</c>; the journal's <c>script_name</c>.</summary>
    public string Name { get; }

    /// <summary>The script text.</summary>
    public string Text { get; }

    /// <summary>The checksum stored in the journal and in <c>dbops.sum</c> (<see cref="ComputeChecksum"/>).</summary>
    public string Checksum { get; }

    /// <summary>The pieces <see cref="Split"/> makes of <see cref="Text"/>.</summary>
    public IReadOnlyList<DbOpsScriptPiece> Pieces { get; }

    /// <summary>
    /// The tables of a baseline script (its header says <c>-- dbops:baseline tables: a, b</c>), or null when the script is
    /// not a baseline. The migrator runs the first script, if it is a baseline, only on a database without any of these
    /// tables, and records it as applied without running it on a database without a journal that holds all of them.
    /// </summary>
    public IReadOnlyList<string>? BaselineTables { get; }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The start of the header line that marks a baseline script; the table names follow, separated by <c>", "</c>.</summary>
    public const string BaselineMarker = "-- dbops:baseline tables:";

    /// <summary>
    /// The header line of a baseline script (written by the build's DbOpsImport): <see cref="BaselineMarker"/> and the
    /// physical table names in the given order, without a line break.
    /// </summary>
    public static string FormatBaselineHeader(IEnumerable<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return BaselineMarker + " " + string.Join(", ", tables);
    }

    /// <summary>
    /// The tables named by the baseline header among the script's leading comment lines (see
    /// <see cref="FormatBaselineHeader"/>), or null when there is none.
    /// </summary>
    public static IReadOnlyList<string>? ParseBaselineTables(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (!line.StartsWith("--", StringComparison.Ordinal)) return null;
            if (!line.StartsWith(BaselineMarker, StringComparison.Ordinal)) continue;
            return [.. line[BaselineMarker.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        }
        return null;
    }

    [GeneratedRegex(@"^(?<n>[0-9]+)_[^/\\]*\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    /// <summary>
    /// <c>"h1:" + base64(SHA-256(UTF-8 text with line endings normalized to \n))</c>: exactly the hash <c>dbops.sum</c>
    /// holds for the file, so a CRLF checkout is not an edit.
    /// </summary>
    public static string ComputeChecksum(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "h1:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"))));
    }

    /// <summary>The journal table's CREATE statement (no terminator) on <paramref name="provider"/>, exactly as the migrator
    /// runs it; the build's deploy script (DbOpsScript) writes the same statement.</summary>
    public static string CreateJournalSql(DbOpsProvider provider) => MigrationDialect.For(provider).CreateJournal;

    /// <summary>The journal table's name.</summary>
    public const string JournalTable = MigrationDialect.JournalTable;

    /// <summary>
    /// Splits a migration script into the pieces a migrator executes, with the same rules as the build's generator
    /// (DbOps.Sql <c>MigrationScript.Split</c>): a line that is exactly <c>-- dbops:no-transaction</c> (trimmed) starts a
    /// section run outside any transaction, <c>-- dbops:transaction</c> one run inside; text before the first marker is
    /// transactional; marker lines belong to no piece. A line that is exactly <c>GO</c> (any case) ends a batch. Pieces with
    /// nothing but whitespace and <c>--</c> comment lines are dropped. Consecutive transactional pieces share one transaction.
    /// </summary>
    public static IReadOnlyList<DbOpsScriptPiece> Split(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var result = new List<DbOpsScriptPiece>();
        var inTransaction = true;
        var current = new StringBuilder();
        foreach (var raw in script.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line == NoTransactionMarker || line == TransactionMarker)
            {
                Flush();
                inTransaction = line == TransactionMarker;
                continue;
            }
            if (line.Equals("GO", StringComparison.OrdinalIgnoreCase))
            {
                Flush();
                continue;
            }
            current.Append(raw).Append('\n');
        }
        Flush();
        return result;

        void Flush()
        {
            var text = current.ToString();
            current.Clear();
            if (HasSql(text)) result.Add(new DbOpsScriptPiece(text.Trim('\n', '\r') + "\n", inTransaction));
        }
    }

    private static bool HasSql(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length > 0 && !line.StartsWith("--", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>
    /// The scripts in the order they are applied (by number), from DbUp scripts named by their file name.
    /// A name that is not <c>NNNN_name.sql</c>, a repeated name or two scripts with one number are a
    /// <see cref="DbOpsMigrationException"/> (the build refuses them too).
    /// </summary>
    public static IReadOnlyList<DbOpsMigrationScript> FromScripts(IEnumerable<SqlScript> scripts)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        var list = new List<DbOpsMigrationScript>();
        foreach (var s in scripts)
        {
            var m = NamePattern().Match(s.Name);
            if (!m.Success || !int.TryParse(m.Groups["n"].ValueSpan, out var number))
                throw new DbOpsMigrationException(
                    $"Migration script '{s.Name}' is not named NNNN_name.sql; the migrator cannot tell where it goes.", s.Name);
            list.Add(new DbOpsMigrationScript(number, s.Name, s.Contents ?? ""));
        }
        list.Sort((a, b) => a.Number != b.Number ? a.Number.CompareTo(b.Number) : string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Name == list[i - 1].Name)
                throw new DbOpsMigrationException($"Migration script '{list[i].Name}' is present twice.", list[i].Name);
            if (list[i].Number == list[i - 1].Number)
                throw new DbOpsMigrationException(
                    $"Migration scripts '{list[i - 1].Name}' and '{list[i].Name}' have the same number (parallel branches?): " +
                    "renumber one of them with the build's DbOpsAddMigration.", list[i].Name);
        }
        return list;
    }
}

/// <summary>
/// The migration scripts the DbOps.Sdk build embeds into an assembly: every <c>$(DbOpsMigrationsDir)/*.sql</c> as the
/// resource <c>DbOps.Migrations.&lt;file name&gt;</c>. A DbUp <see cref="IScriptProvider"/>, so it also feeds a plain
/// DbUp engine; script names are the file names (<c>0001_initial.sql</c>), read as UTF-8 (a BOM is dropped).
/// </summary>
public sealed class DbOpsEmbeddedScriptProvider : IScriptProvider
{
    /// <summary>The prefix of the logical resource names.</summary>
    public const string ResourcePrefix = "DbOps.Migrations.";

    private readonly Assembly _assembly;

    /// <summary>Reads the scripts embedded in <paramref name="assembly"/>.</summary>
    public DbOpsEmbeddedScriptProvider(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _assembly = assembly;
    }

    /// <summary>Every embedded <c>DbOps.Migrations.*.sql</c> resource, ordered by name.</summary>
    public IReadOnlyList<SqlScript> GetScripts()
    {
        var scripts = new List<SqlScript>();
        foreach (var resource in _assembly.GetManifestResourceNames()
                     .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = _assembly.GetManifestResourceStream(resource)
                ?? throw new DbOpsMigrationException($"Embedded migration '{resource}' cannot be read.");
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            scripts.Add(new SqlScript(resource[ResourcePrefix.Length..], reader.ReadToEnd()));
        }
        return scripts;
    }

    IEnumerable<SqlScript> IScriptProvider.GetScripts(IConnectionManager connectionManager) => GetScripts();
}
