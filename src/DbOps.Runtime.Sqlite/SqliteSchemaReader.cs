using System.Data.Common;
using System.Text.RegularExpressions;

namespace DbOps.Runtime;

/// <summary>
/// Reads a SQLite database's structure from <c>sqlite_master</c> and the table-valued pragmas (<c>pragma_table_info</c>,
/// <c>pragma_index_list</c>, <c>pragma_index_info</c>, <c>pragma_foreign_key_list</c>). SQLite keeps no catalog of CHECK
/// constraints or index filters: they are read from the <c>CREATE</c> statements it stores. It keeps no names of unique
/// constraints and foreign keys either (they compare by their columns).
/// </summary>
public sealed partial class SqliteSchemaReader : DbOpsSchemaReader
{
    /// <summary>The one instance.</summary>
    public static SqliteSchemaReader Instance { get; } = new();

    private SqliteSchemaReader()
    {
    }

    /// <inheritdoc />
    public override async Task<DbOpsSchemaShape> ReadAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = new List<(string Name, string Sql)>();
        var indexSql = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in await QueryAsync(connection, "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name", null, cancellationToken).ConfigureAwait(false))
        {
            var (type, name, sql) = ((string)row[0]!, (string)row[1]!, row[2] as string ?? "");
            if (type == "index") indexSql[name] = sql;
            else if (!IsBookkeeping(name)) tables.Add((name, sql));
        }

        var result = new List<DbOpsTableShape>();
        foreach (var (table, createSql) in tables)
        {
            var columns = new List<DbOpsColumnShape>();
            var pk = new SortedList<long, string>();
            foreach (var r in await QueryAsync(connection, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(@t) ORDER BY cid", table, cancellationToken).ConfigureAwait(false))
            {
                var name = (string)r[0]!;
                columns.Add(new DbOpsColumnShape(name, r[1] as string ?? "", Convert.ToInt64(r[2]) == 0, r[3] as string));
                if (Convert.ToInt64(r[4]) is var k and > 0) pk[k] = name;
            }

            var uniques = new List<DbOpsUniqueShape>();
            var indexes = new List<DbOpsIndexShape>();
            foreach (var r in await QueryAsync(connection, "SELECT name, \"unique\", origin FROM pragma_index_list(@t) ORDER BY name", table, cancellationToken).ConfigureAwait(false))
            {
                var (name, unique, origin) = ((string)r[0]!, Convert.ToInt64(r[1]) != 0, (string)r[2]!);
                if (origin == "pk") continue;
                var cols = (await QueryAsync(connection, "SELECT name FROM pragma_index_info(@t) ORDER BY seqno", name, cancellationToken).ConfigureAwait(false))
                    .Select(c => c[0] as string ?? "(expression)").ToList();
                if (origin == "u") uniques.Add(new DbOpsUniqueShape(null, cols));
                else indexes.Add(new DbOpsIndexShape(name, cols, unique, indexSql.TryGetValue(name, out var s) ? Filter(s) : null));
            }

            var fks = new List<DbOpsForeignKeyShape>();
            foreach (var group in (await QueryAsync(connection, "SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(@t) ORDER BY id, seq", table, cancellationToken).ConfigureAwait(false))
                         .GroupBy(r => Convert.ToInt64(r[0])))
            {
                var rows = group.ToList();
                var principal = (string)rows[0][2]!;
                var to = rows.Select(r => r[4] as string).ToList();
                if (to.Any(t => t is null)) to = [.. await PrimaryKeyAsync(connection, principal, cancellationToken).ConfigureAwait(false)];
                fks.Add(new DbOpsForeignKeyShape(null, [.. rows.Select(r => (string)r[3]!)], principal, to!, DeleteRule((string)rows[0][5]!)));
            }
            result.Add(new DbOpsTableShape(table, columns, [.. pk.Values], uniques, indexes, fks, Checks(createSql)));
        }
        return new DbOpsSchemaShape(result);
    }

    /// <inheritdoc />
    /// <remarks>SQLite cannot drop a constraint: the table is rebuilt (see the migration that created it).</remarks>
    public override string? DropConstraint(string table, string constraint) => null;

    /// <inheritdoc />
    public override string? AlterColumnType(string table, DbOpsColumnShape expected) => null;

    /// <inheritdoc />
    public override string? AlterColumnNullability(string table, DbOpsColumnShape expected) => null;

    /// <inheritdoc />
    public override string? AlterColumnDefault(string table, DbOpsColumnShape expected) => null;

    /// <inheritdoc />
    public override string? AddCheck(string table, DbOpsCheckShape check) => null;

    /// <inheritdoc />
    public override string? AddForeignKey(string table, DbOpsForeignKeyShape fk) => null;

    /// <inheritdoc />
    public override string? AddUnique(string table, DbOpsUniqueShape unique) =>
        // The expected shape carries the name the build gave it; a nameless one (never from DbOps) gets the convention's.
        $"CREATE UNIQUE INDEX {Quote(unique.Name ?? "ux_" + table + "_" + string.Join("_", unique.Columns))} ON {Quote(table)} ({Columns(unique.Columns)});";

    private static async Task<List<string>> PrimaryKeyAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(connection, "SELECT name FROM pragma_table_info(@t) WHERE pk > 0 ORDER BY pk", table, cancellationToken).ConfigureAwait(false)).Select(r => (string)r[0]!)];

    // CREATE [UNIQUE] INDEX name ON t (cols) WHERE condition
    private static string? Filter(string createIndex)
    {
        var m = IndexWhere().Match(createIndex);
        return m.Success ? m.Groups[1].Value.Trim() : null;
    }

    // CONSTRAINT name CHECK (condition), with the condition's parentheses balanced (string literals skipped).
    private static List<DbOpsCheckShape> Checks(string createTable)
    {
        var checks = new List<DbOpsCheckShape>();
        foreach (Match m in NamedCheck().Matches(createTable))
        {
            var start = m.Index + m.Length;
            var (depth, inString, end) = (1, false, -1);
            for (var i = start; i < createTable.Length && end < 0; i++)
            {
                var c = createTable[i];
                if (c == '\'') inString = !inString;
                else if (!inString && c == '(') depth++;
                else if (!inString && c == ')' && --depth == 0) end = i;
            }
            if (end < 0) continue;
            checks.Add(new DbOpsCheckShape(Unquote(m.Groups["name"].Value), createTable[start..end].Trim()));
        }
        return checks;
    }

    private static string Unquote(string name) => name.Length >= 2 && name[0] is '"' or '[' or '`'
        ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal)
        : name;

    [GeneratedRegex(@"\)\s+WHERE\s+(.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex IndexWhere();

    [GeneratedRegex(@"CONSTRAINT\s+(?<name>""(?:[^""]|"""")+""|\[[^\]]+\]|`[^`]+`|\w+)\s+CHECK\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex NamedCheck();
}
