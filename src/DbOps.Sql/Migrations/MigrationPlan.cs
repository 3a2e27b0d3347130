using System.Text;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DbOps.Sql.Migrations;

/// <summary>
/// One difference between the snapshot and the current schema, in words.
/// <paramref name="Kind"/>: AddTable, DropTable, RenameTable, AlterTable, AddColumn, DropColumn, RenameColumn, AlterColumn,
/// AddIndex, DropIndex, AddForeignKey, DropForeignKey, AddCheck, DropCheck, AlterPrimaryKey, Other.
/// <paramref name="Location"/> is the changed node in the current schema (for drops: the entity, or the schema root).
/// </summary>
public sealed record SchemaChange(string Kind, string Description, SourceLocation Location, Danger? Danger)
{
    /// <summary>Warnings about the change that never block it: advice (DBOPS3007, DBOPS3010) and breaking changes (DBOPS3011–3014).</summary>
    public IReadOnlyList<ChangeNote> Notes { get; init; } = [];

    /// <summary>The logical name of the entity the change is about (a dropped one: its name in the snapshot); null when it is about no one entity.</summary>
    public string? Entity { get; init; }

    public override string ToString() => Danger is null ? Description : $"{Description} [{Danger.Code}]";
}

/// <summary>
/// A warning about a change: <see cref="DangerCodes.Advice"/> codes say how a change behaves on a live database,
/// <see cref="DangerCodes.Breaking"/> codes that it breaks the release still running during a rolling deploy (with the
/// two-step alternative). <paramref name="Table"/>: the physical table concerned (for a row estimate), if any.
/// </summary>
public sealed record ChangeNote(string Code, string Text, string? Table = null);

/// <summary>
/// Why a change may lose data or fail on existing data (DBOPS3xxx), and how to allow it.
/// <see cref="Blocking"/>: DbOpsAddMigration refuses it unless allowed; DBOPS3007 is advice only (not blocking).
/// </summary>
public sealed record Danger(string Code, string Reason, string HowToAllow)
{
    public bool Blocking => true;
}

/// <summary>The DBOPS3xxx codes (documented on <see cref="MigrationPlanner"/>).</summary>
public static class DangerCodes
{
    public const string DropTable = "DBOPS3001";
    public const string DropColumn = "DBOPS3002";
    public const string NarrowType = "DBOPS3003";
    public const string NotNullWithoutDefault = "DBOPS3004";
    public const string UniqueOnExistingTable = "DBOPS3005";
    public const string PrimaryKeyChange = "DBOPS3006";
    public const string IndexLocksTable = "DBOPS3007";
    public const string CheckOnExistingTable = "DBOPS3008";
    public const string ForeignKeyOnExistingColumn = "DBOPS3009";
    public const string TableRewrite = "DBOPS3010";
    public const string BreaksRunningCode = "DBOPS3011";
    public const string BreaksRunningInserts = "DBOPS3012";
    public const string RunningCodeMayViolate = "DBOPS3013";
    public const string DropWithoutDeprecation = "DBOPS3014";

    /// <summary>Notes about how a change runs on a live database (warnings, never refused).</summary>
    public static readonly IReadOnlySet<string> Advice = new HashSet<string> { IndexLocksTable, TableRewrite };

    /// <summary>Notes that a change breaks the running release (severity from DbOpsBreakingChanges).</summary>
    public static readonly IReadOnlySet<string> Breaking = new HashSet<string> { BreaksRunningCode, BreaksRunningInserts, RunningCodeMayViolate, DropWithoutDeprecation };

    public const string HowToAllow = "set -p:DbOpsAllowDataLoss=true (the migration header records the allowance)";
}

/// <summary>How a migration's SQL is written (MSBuild properties of the project).</summary>
public sealed record MigrationOptions
{
    public static readonly MigrationOptions Default = new();

    /// <summary>
    /// PostgreSQL <c>lock_timeout</c> set at the start of each script (<c>DbOpsLockTimeout</c>, default <c>5s</c>;
    /// <c>0</c> = off): a whole number with an optional unit ms, s, min, h or d.
    /// </summary>
    public string LockTimeout { get; init; } = "5s";

    /// <summary>True when <paramref name="value"/> is a <see cref="LockTimeout"/> PostgreSQL accepts.</summary>
    public static bool IsValidLockTimeout(string value) => PostgresLockSafety.LockTimeoutPattern().IsMatch(value);
}

/// <summary>The outcome of <see cref="MigrationPlanner.Plan"/>: the changes in words and the SQL that makes them.</summary>
public sealed class MigrationPlan
{
    internal MigrationPlan(DbProvider provider, IReadOnlyList<SchemaChange> changes, IReadOnlyList<MigrationCommand> commands)
    {
        Provider = provider;
        Changes = changes;
        Commands = commands;
    }

    public DbProvider Provider { get; }

    /// <summary>Every change, in schema order (tables and columns as the current schema lists them; dropped tables last).</summary>
    public IReadOnlyList<SchemaChange> Changes { get; }

    /// <summary>The provider commands, in execution order (EF Core's <see cref="MigrationCommand.TransactionSuppressed"/> kept).</summary>
    public IReadOnlyList<MigrationCommand> Commands { get; }

    /// <summary>No database change at all (no migration needed).</summary>
    public bool IsEmpty => Changes.Count == 0 && Commands.Count == 0;

    /// <summary>Every change with a <see cref="Danger"/> (including advice-only DBOPS3007).</summary>
    public IReadOnlyList<SchemaChange> Dangerous => [.. Changes.Where(c => c.Danger is not null)];

    /// <summary>Every note of every change, with its change.</summary>
    public IReadOnlyList<(SchemaChange Change, ChangeNote Note)> Notes => [.. Changes.SelectMany(c => c.Notes.Select(n => (c, n)))];

    /// <summary>The changes DbOpsAddMigration refuses unless data loss is allowed (<see cref="Danger.Blocking"/>).</summary>
    public IReadOnlyList<SchemaChange> RequiringAllowance => [.. Changes.Where(c => c.Danger is { Blocking: true })];

    /// <summary>
    /// The full text of the migration file <c>{migrationName}.sql</c>: a header of comments (name, provider, every change,
    /// and one <c>-- dbops:allowed-data-loss</c> line per blocking danger when <paramref name="allowedDataLoss"/>), then the
    /// SQL in sections (see <see cref="MigrationScript"/> for the marker format). Deterministic: no timestamp.
    /// </summary>
    public string Script(string migrationName, bool allowedDataLoss)
    {
        var sb = new StringBuilder();
        sb.Append("-- DbOps migration ").Append(OneLine(migrationName)).Append('\n');
        sb.Append("-- provider: ").Append(DbProviders.Name(Provider)).Append('\n');
        sb.Append("-- generated by DbOps from dbops.yaml; do not edit (DBOPS2002 catches edits)\n");
        if (Changes.Count == 0) sb.Append("-- changes: none\n");
        else
        {
            sb.Append("-- changes:\n");
            foreach (var c in Changes)
            {
                sb.Append("--   ").Append(OneLine(c.Description));
                if (c.Danger is { } d) sb.Append("  [").Append(d.Code).Append(": ").Append(OneLine(d.Reason)).Append(']');
                sb.Append('\n');
                foreach (var n in c.Notes) sb.Append("--     ").Append(n.Code).Append(": ").Append(OneLine(n.Text)).Append('\n');
            }
        }
        if (allowedDataLoss)
            foreach (var c in RequiringAllowance)
                sb.Append(MigrationScript.AllowedDataLossPrefix).Append(c.Danger!.Code).Append(' ').Append(OneLine(c.Description)).Append('\n');
        sb.Append('\n');
        sb.Append(MigrationScript.Body(Commands, Provider));
        return sb.ToString();
    }

    private static string OneLine(string s) => s.Replace("\r", " ").Replace("\n", " ");
}
