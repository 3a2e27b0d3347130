using System.Text.RegularExpressions;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace DbOps.Sql.Migrations;

/// <summary>
/// PostgreSQL: rewrites the operations of a migration on existing tables so that no step holds a lock that blocks
/// inserts for longer than a catalog update.
/// </summary>
/// <remarks>
/// <para>EF Core's operations stay in the script's transaction, except those that scan an existing table under a lock
/// that blocks writes. Those become <b>steps</b>: one statement each in its own <c>-- dbops:no-transaction</c> section,
/// after the transaction, each safe to run again (a rerun after a failure, or a retry after <c>lock_timeout</c>):</para>
/// <list type="number">
/// <item>An index on an existing table: a DO block drops an <i>invalid</i> index of that name (left by a CONCURRENTLY
/// build that failed or was killed), then <c>CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS</c>. A UNIQUE constraint
/// (the key a foreign key to a non-primary-key column references) is built the same way and then added
/// <c>USING INDEX</c>.</item>
/// <item>A CHECK or foreign key added to an existing table: <c>ADD CONSTRAINT ... NOT VALID</c> (a DO block that skips it
/// when it exists), then <c>VALIDATE CONSTRAINT</c>, which scans under SHARE UPDATE EXCLUSIVE (inserts continue).</item>
/// <item><c>SET NOT NULL</c> on an existing column: a <c>CHECK (col IS NOT NULL)</c> added NOT VALID and validated
/// first, so that SET NOT NULL skips its scan (PostgreSQL 12+), then the helper check is dropped.</item>
/// </list>
/// <para>New tables, and indexes and constraints of new tables, stay plain and transactional: nobody writes to them yet.</para>
/// </remarks>
internal static partial class PostgresLockSafety
{
    /// <summary><c>lock_timeout</c> values PostgreSQL accepts: a whole number with an optional unit.</summary>
    [GeneratedRegex(@"^[0-9]+(ms|s|min|h|d)?$", RegexOptions.CultureInvariant)]
    internal static partial Regex LockTimeoutPattern();

    /// <summary>The statement that starts each PostgreSQL script, or null when the timeout is off (<c>0</c>).</summary>
    public static SqlOperation? LockTimeout(string lockTimeout) =>
        lockTimeout is "0" or "" ? null
            : new SqlOperation { Sql = $"SET lock_timeout = '{lockTimeout}';", SuppressTransaction = true };

    /// <summary>Name of the helper CHECK that lets SET NOT NULL skip its scan.</summary>
    internal static string NotNullCheckName(string table, string column) => PhysicalNames.Shorten($"dbops_nn_{table}_{column}");

    /// <summary>
    /// <paramref name="operations"/> (the additions and alterations of a migration, in EF Core's order) with the
    /// blocking ones moved into steps (see the remarks).
    /// </summary>
    public static IReadOnlyList<MigrationOperation> Rewrite(IReadOnlyList<MigrationOperation> operations, IModel target)
    {
        var created = operations.OfType<CreateTableOperation>().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        bool Existing(string table) => !created.Contains(table);
        using var context = EfProviders.CreateContext(DbProvider.PostgreSql);
        var sql = context.GetService<ISqlGenerationHelper>();
        string Q(string identifier) => sql.DelimitIdentifier(identifier);
        string Literal(string text) => "'" + text.Replace("'", "''") + "'";

        var transactional = new List<MigrationOperation>();
        var indexes = new List<MigrationOperation>();
        var adds = new List<MigrationOperation>();
        var validates = new List<MigrationOperation>();
        var notNulls = new List<MigrationOperation>();
        void Step(List<MigrationOperation> list, string text) => list.Add(new SqlOperation { Sql = text, SuppressTransaction = true });

        // ADD CONSTRAINT ... NOT VALID, skipped when the constraint exists (a rerun), then VALIDATE.
        void AddNotValid(string table, string name, string addConstraintSql)
        {
            Step(adds,
                "DO $dbops$\nBEGIN\n" +
                $"  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass({Literal(Q(table))}) AND conname = {Literal(name)}) THEN\n" +
                $"    {addConstraintSql.TrimEnd().TrimEnd(';')} NOT VALID;\n" +
                "  END IF;\nEND $dbops$;");
            Step(validates, $"ALTER TABLE {Q(table)} VALIDATE CONSTRAINT {Q(name)};");
        }

        // An invalid index of this name is a CONCURRENTLY build that failed or was killed: drop it, then build it again.
        void BuildIndex(string name, string table, bool unique, IEnumerable<string> columns, string? filter)
        {
            Step(indexes,
                "-- an invalid index of this name is a CONCURRENTLY build that failed: drop it and build again\n" +
                "DO $dbops$\nBEGIN\n" +
                "  IF EXISTS (SELECT 1 FROM pg_index i WHERE i.indexrelid = to_regclass(" + Literal(Q(name)) + ") AND NOT i.indisvalid) THEN\n" +
                $"    DROP INDEX {Q(name)};\n" +
                "  END IF;\nEND $dbops$;");
            Step(indexes,
                $"CREATE {(unique ? "UNIQUE " : "")}INDEX CONCURRENTLY IF NOT EXISTS {Q(name)} ON {Q(table)} " +
                $"({string.Join(", ", columns.Select(Q))}){(filter is null ? "" : " WHERE " + filter)};");
        }

        foreach (var op in operations)
        {
            switch (op)
            {
                case CreateIndexOperation ix when Existing(ix.Table):
                    BuildIndex(ix.Name, ix.Table, ix.IsUnique, ix.Columns, ix.Filter);
                    break;
                case AddUniqueConstraintOperation uq when Existing(uq.Table):
                    // The key a foreign key references: its unique index built CONCURRENTLY, then taken over by the constraint.
                    BuildIndex(uq.Name, uq.Table, unique: true, uq.Columns, filter: null);
                    Step(indexes,
                        "DO $dbops$\nBEGIN\n" +
                        $"  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass({Literal(Q(uq.Table))}) AND conname = {Literal(uq.Name)}) THEN\n" +
                        $"    ALTER TABLE {Q(uq.Table)} ADD CONSTRAINT {Q(uq.Name)} UNIQUE USING INDEX {Q(uq.Name)};\n" +
                        "  END IF;\nEND $dbops$;");
                    break;
                case AddCheckConstraintOperation ck when Existing(ck.Table):
                    AddNotValid(ck.Table, ck.Name, $"ALTER TABLE {Q(ck.Table)} ADD CONSTRAINT {Q(ck.Name)} CHECK ({ck.Sql})");
                    break;
                case AddForeignKeyOperation fk when Existing(fk.Table):
                    // EF Core writes the clause (columns, principal, ON DELETE); DbOps only makes it NOT VALID.
                    AddNotValid(fk.Table, fk.Name, string.Concat(MigrationSql.Generate([fk], target, DbProvider.PostgreSql).Select(c => c.CommandText)));
                    break;
                case AlterColumnOperation alter when Existing(alter.Table) && !alter.IsNullable && alter.OldColumn.IsNullable:
                    // EF Core keeps the rest of the alteration (type, default); the NOT NULL goes through a validated CHECK.
                    alter.IsNullable = true;
                    transactional.Add(alter);
                    var helper = NotNullCheckName(alter.Table, alter.Name);
                    AddNotValid(alter.Table, helper, $"ALTER TABLE {Q(alter.Table)} ADD CONSTRAINT {Q(helper)} CHECK ({Q(alter.Name)} IS NOT NULL)");
                    Step(notNulls, $"ALTER TABLE {Q(alter.Table)} ALTER COLUMN {Q(alter.Name)} SET NOT NULL;");
                    Step(notNulls, $"ALTER TABLE {Q(alter.Table)} DROP CONSTRAINT IF EXISTS {Q(helper)};");
                    break;
                default:
                    transactional.Add(op);
                    break;
            }
        }
        // Indexes first: a foreign key added below may need a new unique index of its principal.
        return [.. transactional, .. indexes, .. adds, .. validates, .. notNulls];
    }

    /// <summary>
    /// True when PostgreSQL's <c>ALTER COLUMN ... TYPE</c> from <paramref name="from"/> to <paramref name="to"/> rewrites the
    /// table (and its indexes) under an ACCESS EXCLUSIVE lock. Only binary-compatible changes skip it: a longer or unbounded
    /// varchar/text, a numeric of higher precision with the same scale, an unbounded numeric.
    /// </summary>
    public static bool Rewrites(DbType from, DbType to)
    {
        if (from.Kind != to.Kind) return !(from.Kind == DbTypeKind.Enum && to.Kind == DbTypeKind.String || from.Kind == DbTypeKind.String && to.Kind == DbTypeKind.Enum);
        return from.Kind switch
        {
            // varchar(n) -> varchar(m >= n) or text keeps the bytes; a shorter varchar re-checks every value by rewriting.
            DbTypeKind.String => to.Length is { } m && (from.Length is not { } n || m < n),
            DbTypeKind.Enum => false,
            DbTypeKind.Binary => false,                    // bytea either way; the length is a CHECK
            DbTypeKind.Decimal => !(to.Precision is null || (from.Precision is { } p && to.Precision >= p && (to.Scale ?? 0) == (from.Scale ?? 0))),
            _ => false,
        };
    }
}
