using System.Text;
using DbOps.Runtime;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DbOps.Sql.Migrations;

/// <summary>
/// The SQL body of a migration file and how a migrator splits it.
/// </summary>
/// <remarks>
/// <para><b>Marker format</b> (re-implement it anywhere in a few lines): a migration file is SQL text in sections.
/// A line whose text, trimmed, is exactly <c>-- dbops:no-transaction</c> starts a section that must run outside any
/// transaction; a line that is exactly <c>-- dbops:transaction</c> starts one that runs inside a transaction. Text before
/// the first marker is a transaction section. Marker lines belong to no section. A line that is exactly <c>GO</c> (any case;
/// only SQL Server scripts have them) also ends a batch: each batch is executed on its own, in the section's mode. Sections or batches
/// with nothing but whitespace and <c>--</c> comment lines are skipped. Consecutive transaction pieces belong to one
/// transaction (a migrator runs them in one transaction and commits before the next no-transaction piece).</para>
/// <para><b>SQLite table rebuilds</b> (EF Core rebuilds a table for changes SQLite cannot ALTER): dropping the old table with
/// <c>foreign_keys</c> on would cascade-delete or null child rows, and <c>PRAGMA foreign_keys</c> is a no-op inside a
/// transaction. So a migration with a rebuild is laid out as: <c>PRAGMA foreign_keys = 0</c> (no transaction), every
/// statement in one transaction ending with a foreign key check that fails the migration (CHECK constraint
/// <c>dbops_foreign_key_check</c>) when any row is left without its parent (<c>PRAGMA foreign_key_check</c>), then
/// <c>PRAGMA foreign_keys = 1</c> (no transaction).</para>
/// </remarks>
public static class MigrationScript
{
    public const string NoTransactionMarker = DbOpsMigrationScript.NoTransactionMarker;
    public const string TransactionMarker = DbOpsMigrationScript.TransactionMarker;
    /// <summary>Header line prefix recording an allowed dangerous change: <c>-- dbops:allowed-data-loss DBOPS3002 Dropped column 'A.B' (int32).</c>.</summary>
    public const string AllowedDataLossPrefix = "-- dbops:allowed-data-loss ";
    /// <summary>
    /// <c>-- dbops:data h1:&lt;hash of the text above&gt;</c> starts the hand-written data section of a migration (a data
    /// migration, or a generated one written with <c>DbOpsMigrationKind=schema+data</c>). To a migrator it is a comment.
    /// </summary>
    public const string DataMarker = "-- dbops:data";
    /// <summary>Ends the hand-written data section when generated SQL follows it (the end of a SQLite table rebuild).</summary>
    public const string DataEndMarker = "-- dbops:end-data";

    /// <summary>
    /// SQLite: fails (CHECK constraint failed: dbops_foreign_key_check) when <c>PRAGMA foreign_key_check</c> reports a row.
    /// A PRAGMA's rows are not an error, so the count goes through a CHECK constraint.
    /// </summary>
    public const string SqliteForeignKeyCheck =
        "-- PRAGMA foreign_key_check must report nothing\n" +
        "CREATE TEMP TABLE \"dbops_fk_check\" (\"violations\" INTEGER NOT NULL CONSTRAINT \"dbops_foreign_key_check\" CHECK (\"violations\" = 0));\n" +
        "INSERT INTO \"dbops_fk_check\" SELECT COUNT(*) FROM pragma_foreign_key_check;\n" +
        "DROP TABLE \"dbops_fk_check\";";

    /// <summary>Splits a migration file into executable pieces (see the remarks on <see cref="MigrationScript"/>); the
    /// runtime's migrator owns the rule (<see cref="DbOpsMigrationScript.Split"/>), so the build and the app split alike.</summary>
    public static IReadOnlyList<(string Sql, bool InTransaction)> Split(string script) =>
        [.. DbOpsMigrationScript.Split(script).Select(p => (p.Sql, p.InTransaction))];

    /// <summary>
    /// A no-transaction piece as it runs inside a transaction (the DbOpsScript deploy script wraps each migration in one
    /// DO block): PostgreSQL's <c>CREATE INDEX CONCURRENTLY</c> becomes a plain <c>CREATE INDEX</c>, which blocks writes
    /// while it builds but is allowed there. Everything else DbOps writes into no-transaction sections runs as is.
    /// </summary>
    public static string InTransactionForm(string sql) =>
        sql.Replace("INDEX CONCURRENTLY IF NOT EXISTS ", "INDEX IF NOT EXISTS ", StringComparison.Ordinal);


    /// <summary>The SQL of <paramref name="commands"/> in sections (SQLite rebuilds wrapped as described in the remarks).</summary>
    internal static string Body(IReadOnlyList<MigrationCommand> commands, DbProvider provider)
    {
        var sb = new StringBuilder();
        var list = commands.ToList();
        var rebuild = provider == DbProvider.Sqlite && list.Any(IsForeignKeysPragma);
        if (rebuild)
        {
            list.RemoveAll(IsForeignKeysPragma);
            sb.Append(NoTransactionMarker).Append('\n').Append("PRAGMA foreign_keys = 0;\n\n");
            sb.Append(TransactionMarker).Append('\n');
        }
        var inTransaction = true;
        foreach (var command in list)
        {
            var wanted = !command.TransactionSuppressed;
            // Each no-transaction statement is its own section: PostgreSQL refuses CREATE INDEX CONCURRENTLY in a batch.
            if (wanted != inTransaction || !wanted)
            {
                sb.Append(wanted ? TransactionMarker : NoTransactionMarker).Append('\n');
                inTransaction = wanted;
            }
            sb.Append(command.CommandText.Replace("\r\n", "\n").TrimEnd('\n')).Append('\n');
            if (provider == DbProvider.SqlServer) sb.Append("GO\n");
            sb.Append('\n');
        }
        if (rebuild)
        {
            if (!inTransaction) sb.Append(TransactionMarker).Append('\n');
            sb.Append(SqliteForeignKeyCheck).Append("\n\n");
            sb.Append(NoTransactionMarker).Append('\n').Append("PRAGMA foreign_keys = 1;\n");
        }
        return sb.ToString();
    }

    private static bool IsForeignKeysPragma(MigrationCommand c) =>
        c.CommandText.TrimStart().StartsWith("PRAGMA foreign_keys", StringComparison.OrdinalIgnoreCase);
}
