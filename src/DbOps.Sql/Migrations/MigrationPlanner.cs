using Microsoft.EntityFrameworkCore;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace DbOps.Sql.Migrations;

/// <summary>
/// Plans the migration from the committed snapshot to the current schema: the changes in words (with their
/// DBOPS3xxx dangers) and the provider SQL.
/// </summary>
/// <remarks>
/// <para><b>How the SQL is made.</b> EF Core's differ guesses renames between a dropped and an added table/column of
/// the same shape; DbOps only renames what <c>renamedFrom</c> declares (or what keeps its logical name and changes its
/// physical one). So the plan never lets the differ see an unmatched pair:</para>
/// <list type="number">
/// <item>Declared renames are applied to the snapshot's logical names (physical names untouched): model <c>S'</c>.</item>
/// <item>Drops: <c>S'</c> → <c>K</c>, where <c>K</c> is <c>S'</c> restricted to what the current schema keeps (tables and
/// columns by logical name, indexes/foreign keys/checks only when unchanged). Nothing is added, so nothing pairs.</item>
/// <item>Renames: explicit RenameTable/RenameColumn for kept tables/columns whose physical name changed (PostgreSQL
/// and SQL Server also rename the primary key and the derived CHECK constraints, whose names follow the table).</item>
/// <item>Additions and alterations: <c>K</c> with the current physical names → current. Every source table and column
/// has a same-named target, so again nothing pairs.</item>
/// </list>
/// <para><b>Dangers</b> (refused by DbOpsAddMigration unless <c>-p:DbOpsAllowDataLoss=true</c>):
/// DBOPS3001 drop table; DBOPS3002 drop column; DBOPS3003 type narrowing or incompatible type change (shorter
/// string/binary, lower decimal precision/scale/integer digits, int64→int32, a change of kind);
/// DBOPS3004 NOT NULL column without default added to an existing table, or a column made NOT NULL;
/// DBOPS3005 unique index/column added on an existing table; DBOPS3006 primary key change;
/// DBOPS3008 CHECK added or tightened on an existing table (including min/max/minLength);
/// DBOPS3009 foreign key added on an existing column (existing rows must reference existing rows).
/// <b>Notes</b> (warnings, never refused): DBOPS3007 PostgreSQL primary key change, which still locks the table while its
/// index builds; DBOPS3010 PostgreSQL type change that rewrites the table; DBOPS3011–3014 breaking for the running
/// release (dropped/renamed table or column, NOT NULL column without default, a rule the old code can violate, a drop
/// without an earlier deprecation), each with the two-step alternative.
/// <b>Lock safety</b> (PostgreSQL): see <see cref="PostgresLockSafety"/>; physical renames also rename the constraints
/// whose names follow the table or column (SQLite: the table is rebuilt), so a migrated database has a fresh one's names.
/// Not dangerous: new tables (and their indexes), nullable columns, columns with a default, widening a string,
/// binary or decimal, int16→int32→int64, float32→float64, renames.</para>
/// </remarks>
public static class MigrationPlanner
{
    private sealed class Renames
    {
        /// <summary>New entity name → old entity name (declared with renamedFrom).</summary>
        public Dictionary<string, string> Entities { get; } = new(StringComparer.Ordinal);
        /// <summary>(entity, new column) → old column (declared with renamedFrom).</summary>
        public Dictionary<(string Entity, string Column), string> Columns { get; } = new();
    }

    public static MigrationPlan Plan(SchemaModel? snapshot, SchemaModel current, DbProvider provider, MigrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        options ??= MigrationOptions.Default;
        var renames = new Renames();
        var old = snapshot is null ? null : ApplyRenames(snapshot, current, renames);
        var changes = Describe(old, current, renames, provider);

        var target = DbModelFactory.Build(current, provider);
        var commands = new List<MigrationCommand>();
        if (old is null)
        {
            commands.AddRange(MigrationSql.Generate(MigrationSql.Diff(null, target, provider), target, provider));
        }
        else
        {
            var kept = Intersect(old, current);
            var moved = WithCurrentPhysicalNames(kept, current, provider);
            var oldModel = DbModelFactory.Build(old, provider);
            var keptModel = DbModelFactory.Build(kept, provider);
            var movedModel = DbModelFactory.Build(moved, provider);
            var drops = Checked(MigrationSql.Diff(oldModel, keptModel, provider));
            var rebuilds = new List<string>();
            var renameOps = RenameOperations(kept, moved, provider, rebuilds);
            var adds = Checked(MigrationSql.Diff(movedModel, target, provider));
            if (rebuilds.Count > 0) adds = [.. SqliteRebuilds(rebuilds, target), .. adds];
            if (provider == DbProvider.Sqlite) adds = SqliteNonConstantDefaults(adds, provider);
            if (provider == DbProvider.PostgreSql) adds = PostgresLockSafety.Rewrite(adds, target);
            if (drops.Count > 0) commands.AddRange(MigrationSql.Generate(drops, keptModel, provider));
            if (renameOps.Count > 0) commands.AddRange(MigrationSql.Generate(renameOps, movedModel, provider));
            if (adds.Count > 0) commands.AddRange(MigrationSql.Generate(adds, target, provider));
        }
        // A statement waiting for a lock queues every later query behind it: give up after lock_timeout (the migrator retries).
        if (provider == DbProvider.PostgreSql && commands.Count > 0 && PostgresLockSafety.LockTimeout(options.LockTimeout) is { } timeout)
            commands.InsertRange(0, MigrationSql.Generate([timeout], target, provider));
        if (changes.Count == 0 && commands.Count > 0)
            changes.Add(new SchemaChange("Other", "Database objects differ from the snapshot (names or options).", current.Location, null));
        return new MigrationPlan(provider, changes, commands);
    }

    /// <summary>The differ must not invent renames; the phases above make that impossible, and this keeps it so.</summary>
    private static IReadOnlyList<MigrationOperation> Checked(IReadOnlyList<MigrationOperation> operations)
    {
        foreach (var op in operations)
            if (op is RenameTableOperation or RenameColumnOperation)
                throw new InvalidOperationException($"Internal error: the differ guessed a rename ({op}); DbOps renames only what renamedFrom declares.");
        return operations;
    }

    /// <summary>
    /// SQLite refuses <c>ADD COLUMN ... DEFAULT (expression)</c> ("Cannot add a column with non-constant default"). Such a
    /// column is added nullable without default, every existing row gets the expression's value
    /// (<c>UPDATE t SET c = (expression)</c>, what PostgreSQL's ADD COLUMN ... DEFAULT does), and an AlterColumn makes EF Core
    /// rebuild the table with the column as declared (NOT NULL, DEFAULT (expression)); the rebuild copies the values.
    /// </summary>
    private static IReadOnlyList<MigrationOperation> SqliteNonConstantDefaults(IReadOnlyList<MigrationOperation> operations, DbProvider provider)
    {
        if (!operations.Any(o => o is AddColumnOperation { DefaultValueSql: not null })) return operations;
        using var context = EfProviders.CreateContext(provider);
        var sql = context.GetService<ISqlGenerationHelper>();
        var result = new List<MigrationOperation>();
        var alters = new List<MigrationOperation>();
        foreach (var op in operations)
        {
            if (op is not AddColumnOperation { DefaultValueSql: { } expression } add)
            {
                result.Add(op);
                continue;
            }
            var plain = new AddColumnOperation
            {
                Table = add.Table, Schema = add.Schema, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType,
                IsUnicode = add.IsUnicode, IsFixedLength = add.IsFixedLength, MaxLength = add.MaxLength, Precision = add.Precision,
                Scale = add.Scale, Comment = add.Comment, Collation = add.Collation, IsNullable = true,
            };
            result.Add(plain);
            result.Add(new SqlOperation { Sql = $"UPDATE {sql.DelimitIdentifier(add.Table)} SET {sql.DelimitIdentifier(add.Name)} = ({expression});" });
            var alter = new AlterColumnOperation
            {
                Table = add.Table, Schema = add.Schema, Name = add.Name, ClrType = add.ClrType, ColumnType = add.ColumnType,
                IsUnicode = add.IsUnicode, IsFixedLength = add.IsFixedLength, MaxLength = add.MaxLength, Precision = add.Precision,
                Scale = add.Scale, Comment = add.Comment, Collation = add.Collation, IsNullable = add.IsNullable,
                DefaultValueSql = expression,
            };
            alter.OldColumn.ClrType = add.ClrType;
            alter.OldColumn.ColumnType = add.ColumnType;
            alter.OldColumn.IsNullable = true;
            alters.Add(alter);
        }
        // The alterations (table rebuilds) after every UPDATE.
        result.AddRange(alters);
        return result;
    }

    /// <summary>
    /// Operations that make EF Core's SQLite generator rebuild <paramref name="tables"/> from <paramref name="target"/>
    /// (dropping and adding the primary key is one of the changes it rebuilds a table for; the rebuild keeps the rows).
    /// </summary>
    private static IEnumerable<MigrationOperation> SqliteRebuilds(IEnumerable<string> tables, IModel target)
    {
        foreach (var table in tables)
        {
            var pk = target.GetRelationalModel().FindTable(table, null)?.PrimaryKey
                ?? throw new InvalidOperationException($"Internal error: table {table} to rebuild has no primary key in the target model.");
            yield return new DropPrimaryKeyOperation { Table = table, Name = pk.Name };
            yield return new AddPrimaryKeyOperation { Table = table, Name = pk.Name, Columns = [.. pk.Columns.Select(c => c.Name)] };
        }
    }

    // ------------------------------------------------------------------ renames

    /// <summary>The snapshot with declared renames applied to logical names (physical names stay the old ones).</summary>
    private static SchemaModel ApplyRenames(SchemaModel snapshot, SchemaModel current, Renames renames)
    {
        foreach (var e in current.Entities)
            if (e.RenamedFrom is { } from && snapshot.FindEntity(from) is not null && snapshot.FindEntity(e.Name) is null
                && !renames.Entities.ContainsValue(from))
                renames.Entities[e.Name] = from;
        var entityName = renames.Entities.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
        string NewEntity(string oldName) => entityName.TryGetValue(oldName, out var n) ? n : oldName;

        var columnMaps = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal); // new entity → old col → new col
        foreach (var se in snapshot.Entities)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            columnMaps[NewEntity(se.Name)] = map;
            if (current.FindEntity(NewEntity(se.Name)) is not { } ce) continue;
            foreach (var c in ce.Columns)
                if (c.RenamedFrom is { } from && se.FindColumn(from) is not null && se.FindColumn(c.Name) is null && !map.ContainsKey(from))
                {
                    map[from] = c.Name;
                    renames.Columns[(ce.Name, c.Name)] = from;
                }
        }
        string NewColumn(string entity, string column) =>
            columnMaps.TryGetValue(entity, out var m) && m.TryGetValue(column, out var n) ? n : column;

        var entities = snapshot.Entities.Select(se =>
        {
            var name = NewEntity(se.Name);
            var columns = se.Columns.Select(c =>
            {
                ForeignKeyModel? fk = null;
                if (c.References is { } r)
                {
                    var target = NewEntity(r.Entity);
                    fk = SchemaRewrite.Fk(r, target, NewColumn(target, r.Column));
                }
                return SchemaRewrite.Column(c, name: NewColumn(name, c.Name), references: fk);
            }).ToList();
            return SchemaRewrite.Entity(se, name: name, columns: columns,
                primaryKey: [.. se.PrimaryKey.Select(k => NewColumn(name, k))],
                indexes: [.. se.Indexes.Select(i => SchemaRewrite.Index(i, [.. i.Columns.Select(k => NewColumn(name, k))]))]);
        }).ToList();
        return SchemaRewrite.With(snapshot, entities);
    }

    // ------------------------------------------------------------------ intermediate models

    private static string IndexKey(IndexModel i) => $"{string.Join(",", i.Columns)}|{i.Unique}|{i.Where}|{i.FromColumn}";

    private static bool SameReference(ForeignKeyModel? a, ForeignKeyModel? b) =>
        a is not null && b is not null && a.Entity == b.Entity && a.Column == b.Column && a.OnDelete == b.OnDelete;

    /// <summary>
    /// <paramref name="old"/> restricted to what <paramref name="current"/> keeps: tables and columns by logical name
    /// (primary key columns always stay), indexes, foreign keys and checks only when unchanged. Old definitions and names.
    /// </summary>
    private static SchemaModel Intersect(SchemaModel old, SchemaModel current)
    {
        var keptEntities = old.Entities.Where(e => current.FindEntity(e.Name) is not null).ToList();
        bool KeptColumn(EntityModel oe, string column) =>
            current.FindEntity(oe.Name) is { } ce && (ce.FindColumn(column) is not null || oe.PrimaryKey.Contains(column));

        var result = new List<EntityModel>();
        foreach (var oe in keptEntities)
        {
            var ce = current.FindEntity(oe.Name)!;
            var columns = new List<ColumnModel>();
            foreach (var oc in oe.Columns)
            {
                if (!KeptColumn(oe, oc.Name)) continue;
                var cc = ce.FindColumn(oc.Name);
                var unique = oc.Unique && cc is { Unique: true };
                var keepFk = oc.References is { } r && SameReference(r, cc?.References)
                    && old.FindEntity(r.Entity) is { } principal && KeptColumn(principal, r.Column);
                columns.Add(SchemaRewrite.Column(oc, unique: unique, dropReference: !keepFk));
            }
            var names = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var currentIndexes = ce.Indexes.Select(IndexKey).ToHashSet(StringComparer.Ordinal);
            var indexes = oe.Indexes.Where(i => i.Columns.All(names.Contains) && currentIndexes.Contains(IndexKey(i))
                && (!i.FromColumn || columns.First(c => c.Name == i.Columns[0]).Unique)).ToList();
            var checks = oe.Checks.Where(k => Successor(k, ce) is not null).ToList();
            result.Add(SchemaRewrite.Entity(oe, columns: columns, indexes: indexes, checks: checks));
        }
        // Foreign keys whose principal no longer exists were dropped above (KeptColumn of a dropped entity is false).
        return SchemaRewrite.With(old, result);
    }

    /// <summary>
    /// The current check that an old one continues: the same SQL, under the same name or under a name no other current
    /// check has (an unnamed check's <c>ck_{table}_{n}</c> follows a renamed table).
    /// </summary>
    private static CheckModel? Successor(CheckModel old, EntityModel current) =>
        current.Checks.FirstOrDefault(x => x.Sql == old.Sql && x.Name == old.Name)
        ?? (current.Checks.Any(y => y.Name == old.Name) ? null
            : current.Checks.FirstOrDefault(x => x.Sql == old.Sql));

    /// <summary>
    /// <paramref name="kept"/> with the current schema's table, column, foreign key and check names (those are renamed
    /// explicitly, see <see cref="RenameOperations"/>); on SQLite also its index names, since a rebuild recreates them.
    /// </summary>
    private static SchemaModel WithCurrentPhysicalNames(SchemaModel kept, SchemaModel current, DbProvider provider) =>
        SchemaRewrite.With(kept, [.. kept.Entities.Select(e =>
        {
            var ce = current.FindEntity(e.Name)!;
            var columns = e.Columns.Select(c =>
            {
                var cc = ce.FindColumn(c.Name);
                var fk = c.References is { } r && cc?.References is { } cr && SameReference(r, cr) && r.ConstraintName != cr.ConstraintName
                    ? new ForeignKeyModel { Entity = r.Entity, Column = r.Column, OnDelete = r.OnDelete, ConstraintName = cr.ConstraintName, Location = r.Location }
                    : null;
                return SchemaRewrite.Column(c, columnName: cc?.ColumnName ?? c.ColumnName, references: fk);
            }).ToList();
            var checks = e.Checks.Select(k => Successor(k, ce) is { } x && x.Name != k.Name
                ? new CheckModel { Name = x.Name, Sql = k.Sql, Location = k.Location } : k).ToList();
            var indexes = provider != DbProvider.Sqlite ? e.Indexes : [.. e.Indexes.Select(i =>
                ce.Indexes.FirstOrDefault(x => IndexKey(x) == IndexKey(i)) is { } x && x.Name != i.Name
                    ? new IndexModel { Name = x.Name, Columns = i.Columns, Unique = i.Unique, Where = i.Where, FromColumn = i.FromColumn, Location = i.Location } : i)];
            return SchemaRewrite.Entity(e, table: ce.Table, columns: columns, checks: checks, indexes: indexes);
        })]);

    /// <summary>
    /// RenameTable/RenameColumn for the tables and columns whose physical name changed, then the constraints whose names
    /// follow them (primary key, checks, foreign keys; indexes are renamed by EF Core's differ). On SQLite, which cannot
    /// rename constraints, <paramref name="rebuilds"/> receives the tables to rebuild instead.
    /// </summary>
    private static List<MigrationOperation> RenameOperations(SchemaModel kept, SchemaModel moved, DbProvider provider, List<string> rebuilds)
    {
        var ops = new List<MigrationOperation>();
        using var context = EfProviders.CreateContext(provider);
        var sql = context.GetService<ISqlGenerationHelper>();
        for (var i = 0; i < kept.Entities.Count; i++)
        {
            var (k, m) = (kept.Entities[i], moved.Entities[i]);
            if (k.Table != m.Table) ops.Add(new RenameTableOperation { Name = k.Table, NewName = m.Table });
        }
        for (var i = 0; i < kept.Entities.Count; i++)
        {
            var (k, m) = (kept.Entities[i], moved.Entities[i]);
            for (var j = 0; j < k.Columns.Count; j++)
                if (k.Columns[j].ColumnName != m.Columns[j].ColumnName)
                    ops.Add(new RenameColumnOperation { Table = m.Table, Name = k.Columns[j].ColumnName, NewName = m.Columns[j].ColumnName });
        }
        for (var i = 0; i < kept.Entities.Count; i++)
        {
            var (k, m) = (kept.Entities[i], moved.Entities[i]);
            var pairs = new List<(string Old, string New)> { (PhysicalNames.PrimaryKey(k.Table), PhysicalNames.PrimaryKey(m.Table)) };
            var (kc, mc) = (CheckConstraints.For(k, provider, sql), CheckConstraints.For(m, provider, sql));
            for (var j = 0; j < Math.Min(kc.Count, mc.Count); j++) pairs.Add((kc[j].Name, mc[j].Name));
            for (var j = 0; j < k.Columns.Count; j++)
                if (k.Columns[j].References is { } kr && m.Columns[j].References is { } mr) pairs.Add((kr.ConstraintName, mr.ConstraintName));
            if (provider == DbProvider.Sqlite)
            {
                // SQLite cannot rename a constraint: rebuilding the table writes it from the current model, every name included.
                if (pairs.Any(p => p.Old != p.New) || k.Indexes.Zip(m.Indexes).Any(p => p.First.Name != p.Second.Name))
                    rebuilds.Add(m.Table);
                continue;
            }
            foreach (var (from, to) in pairs.Where(p => p.Old != p.New))
                ops.Add(new SqlOperation
                {
                    Sql = provider == DbProvider.PostgreSql
                        ? $"ALTER TABLE {sql.DelimitIdentifier(m.Table)} RENAME CONSTRAINT {sql.DelimitIdentifier(from)} TO {sql.DelimitIdentifier(to)};"
                        : $"EXEC sp_rename N'{sql.DelimitIdentifier(from).Replace("'", "''")}', N'{to.Replace("'", "''")}', N'OBJECT';",
                });
        }
        return ops;
    }

    // ------------------------------------------------------------------ changes in words

    private static Danger D(string code, string reason) => new(code, Sentence(reason), DangerCodes.HowToAllow);

    /// <summary>A change or reason as a sentence: capital first letter, final period.</summary>
    internal static string Sentence(string text)
    {
        if (text.Length == 0) return text;
        var s = char.ToUpperInvariant(text[0]) + text[1..];
        return s.EndsWith('.') ? s : s + ".";
    }

    // The expand/contract alternatives written out in the breaking-change notes.
    private const string DropTwoSteps =
        "Instead, mark it `deprecated: true` and stop using it in one release, then drop it in a later release.";
    private const string RenameTwoSteps =
        "Instead, in two steps: add the new one, backfill it and write both in one release, switch reads to it, then drop the old one in a later release.";
    private const string NotNullTwoSteps =
        "Instead, in two steps: add it nullable (or with a default) and backfill it while the new code sets it, then make it NOT NULL in a later release.";
    private const string RuleTwoSteps =
        "Instead, in two steps: release code that writes only values the new rule accepts and fix the existing rows, then add the rule in a later release.";

    private static ChangeNote Breaking(string code, string what, string twoSteps) =>
        new(code, $"Breaking for the running release: {what} {twoSteps}");

    private static string Show(ColumnModel c) => c.Type + (c.Nullable ? "?" : "");

    private static List<SchemaChange> Describe(SchemaModel? old, SchemaModel current, Renames renames, DbProvider provider)
    {
        var changes = new List<SchemaChange>();
        string? entity = null; // the entity being compared, recorded on each change
        void Add(string kind, string text, SourceLocation at, Danger? danger = null) =>
            changes.Add(new SchemaChange(kind, Sentence(text), at, danger) { Entity = entity });
        // A note on the change added last.
        void Note(ChangeNote note) => changes[^1] = changes[^1] with { Notes = [.. changes[^1].Notes, note] };
        var pg = provider == DbProvider.PostgreSql;

        foreach (var te in current.Entities)
        {
            entity = te.Name;
            var oe = old?.FindEntity(te.Name);
            if (oe is null)
            {
                Add("AddTable", $"added table '{te.Name}' ({te.Table}) with {te.Columns.Count} column{(te.Columns.Count == 1 ? "" : "s")}", te.Location);
                continue;
            }
            if (renames.Entities.TryGetValue(te.Name, out var fromEntity))
                Add("RenameTable", $"renamed table '{fromEntity}' to '{te.Name}' ({oe.Table} → {te.Table})", te.Location);
            else if (oe.Table != te.Table)
                Add("RenameTable", $"renamed table of '{te.Name}' from {oe.Table} to {te.Table}", te.Location);
            if (oe.Table != te.Table)
                Note(Breaking(DangerCodes.BreaksRunningCode, $"its generated code uses table {oe.Table}, which no longer exists.", RenameTwoSteps));
            if (oe.Comment != te.Comment)
                Add("AlterTable", $"changed the comment of table '{te.Name}'", te.Location);
            if (oe.Deprecated != te.Deprecated)
                Add("AlterTable", te.Deprecated is null ? $"table '{te.Name}' is no longer deprecated"
                    : $"deprecated table '{te.Name}'{(te.Deprecated.Length == 0 ? "" : $" ({te.Deprecated})")}: it stays in the database and its C# type is [Obsolete]", te.Location);

            foreach (var tc in te.Columns)
            {
                var name = $"{te.Name}.{tc.Name}";
                var oc = oe.FindColumn(tc.Name);
                if (oc is null)
                {
                    Danger? danger = null;
                    if (!tc.Nullable && tc.Default is null && tc.DefaultSql is null && !tc.Identity)
                        danger = D(DangerCodes.NotNullWithoutDefault, $"NOT NULL column '{name}' has no default, so existing rows have no value for it");
                    else if (tc.Unique && !tc.Nullable)
                        danger = D(DangerCodes.UniqueOnExistingTable, $"unique column '{name}' gets the same default in every existing row");
                    else if (tc.References is not null && !tc.Nullable)
                        danger = D(DangerCodes.ForeignKeyOnExistingColumn, $"existing rows get the default of '{name}', which must reference an existing row");
                    Add("AddColumn", $"added column '{name}' ({Show(tc)})", tc.Location, danger);
                    if (!tc.Nullable && tc.Default is null && tc.DefaultSql is null && !tc.Identity)
                        Note(Breaking(DangerCodes.BreaksRunningInserts, $"its inserts into {te.Table} do not set the NOT NULL column {tc.ColumnName}, which has no default, so they fail.", NotNullTwoSteps));
                    if (tc.References is { } nfk)
                        Add("AddForeignKey", $"added foreign key '{nfk.ConstraintName}' from '{name}' to '{nfk.Entity}.{nfk.Column}'", nfk.Location);
                    continue;
                }
                if (renames.Columns.TryGetValue((te.Name, tc.Name), out var fromColumn))
                    Add("RenameColumn", $"renamed column '{te.Name}.{fromColumn}' to '{name}' ({oc.ColumnName} → {tc.ColumnName})", tc.Location);
                else if (oc.ColumnName != tc.ColumnName)
                    Add("RenameColumn", $"renamed column of '{name}' from {oc.ColumnName} to {tc.ColumnName}", tc.Location);
                if (oc.ColumnName != tc.ColumnName)
                    Note(Breaking(DangerCodes.BreaksRunningCode, $"its generated code reads and writes column {oe.Table}.{oc.ColumnName}, which no longer exists.", RenameTwoSteps));
                DescribeColumn(oc, tc, old!, current, name, provider, Add, Note, te.Table);
            }
            foreach (var oc in oe.Columns.Where(c => te.FindColumn(c.Name) is null))
            {
                Add("DropColumn", $"dropped column '{te.Name}.{oc.Name}' ({Show(oc)})", te.Location,
                    D(DangerCodes.DropColumn, $"the data of column '{te.Name}.{oc.Name}' is deleted"));
                Note(Breaking(DangerCodes.BreaksRunningCode, $"its generated code reads and writes column {oe.Table}.{oc.ColumnName}.", DropTwoSteps));
                if (oc.Deprecated is null && oe.Deprecated is null)
                    Note(new ChangeNote(DangerCodes.DropWithoutDeprecation,
                        $"Column '{te.Name}.{oc.Name}' was not deprecated in an earlier migration, so no release warned the code that uses it. {DropTwoSteps}"));
            }

            if (!oe.PrimaryKey.SequenceEqual(te.PrimaryKey))
            {
                Add("AlterPrimaryKey", $"changed the primary key of '{te.Name}' from ({string.Join(", ", oe.PrimaryKey)}) to ({string.Join(", ", te.PrimaryKey)})",
                    te.Location, D(DangerCodes.PrimaryKeyChange, $"existing rows of '{te.Name}' may not be unique under the new key, and references to it change"));
                if (pg)
                    Note(new ChangeNote(DangerCodes.IndexLocksTable,
                        $"PostgreSQL builds the new primary key's index under an ACCESS EXCLUSIVE lock: reads and writes of {te.Table} wait until it is built. " +
                        "On a big table, build a unique index CONCURRENTLY first and add the key with ADD CONSTRAINT ... PRIMARY KEY USING INDEX in a hand-written migration.", te.Table));
            }

            var oldIndexes = oe.Indexes.Where(i => !i.FromColumn).ToList();
            foreach (var ix in te.Indexes.Where(i => !i.FromColumn))
            {
                var same = oldIndexes.FirstOrDefault(o => IndexKey(o) == IndexKey(ix));
                if (same is not null)
                {
                    if (same.Name != ix.Name) Add("RenameIndex", $"renamed index {same.Name} to {ix.Name}", ix.Location);
                    oldIndexes.Remove(same);
                    continue;
                }
                var replaced = oldIndexes.FirstOrDefault(o => o.Name == ix.Name);
                if (replaced is not null) oldIndexes.Remove(replaced);
                var what = $"{(ix.Unique ? "unique index" : "index")} {ix.Name} on '{te.Name}' ({string.Join(", ", ix.Columns)}){(ix.Where is null ? "" : " where " + ix.Where)}";
                Danger? danger = ix.Unique
                    ? D(DangerCodes.UniqueOnExistingTable, $"existing rows of '{te.Name}' may have duplicates in ({string.Join(", ", ix.Columns)})")
                    : null;
                Add(replaced is null ? "AddIndex" : "AlterIndex", (replaced is null ? "added " : "changed ") + what, ix.Location, danger);
                if (ix.Unique)
                    Note(Breaking(DangerCodes.RunningCodeMayViolate, $"its code may insert rows that duplicate ({string.Join(", ", ix.Columns)}), which the new unique index refuses.", RuleTwoSteps));
            }
            foreach (var ix in oldIndexes)
                Add("DropIndex", $"dropped index {ix.Name} on '{te.Name}'", te.Location);

            foreach (var ck in te.Checks)
            {
                var same = oe.Checks.FirstOrDefault(o => Successor(o, te) == ck);
                if (same is not null)
                {
                    if (same.Name != ck.Name) Add("RenameCheck", $"renamed check {same.Name} to {ck.Name}", ck.Location);
                    continue;
                }
                var prior = oe.Checks.FirstOrDefault(o => o.Name == ck.Name);
                Add(prior is null ? "AddCheck" : "AlterCheck", $"{(prior is null ? "added" : "changed")} check {ck.Name} on '{te.Name}' ({ck.Sql})", ck.Location,
                    D(DangerCodes.CheckOnExistingTable, $"existing rows of '{te.Name}' may violate check {ck.Name}"));
                Note(Breaking(DangerCodes.RunningCodeMayViolate, $"its code may write rows that check {ck.Name} refuses.", RuleTwoSteps));
            }
            foreach (var ck in oe.Checks.Where(c => Successor(c, te) is null && !te.Checks.Any(t => t.Name == c.Name)))
                Add("DropCheck", $"dropped check {ck.Name} on '{te.Name}'", te.Location);
        }

        if (old is not null)
            foreach (var oe in old.Entities.Where(e => current.FindEntity(e.Name) is null))
            {
                entity = oe.Name;
                Add("DropTable", $"dropped table '{oe.Name}' ({oe.Table})", current.Location,
                    D(DangerCodes.DropTable, $"table '{oe.Table}' and all its rows are deleted"));
                Note(Breaking(DangerCodes.BreaksRunningCode, $"its generated code uses table {oe.Table}.", DropTwoSteps));
                if (oe.Deprecated is null)
                    Note(new ChangeNote(DangerCodes.DropWithoutDeprecation,
                        $"Entity '{oe.Name}' was not deprecated in an earlier migration, so no release warned the code that uses it. {DropTwoSteps}"));
            }
        return changes;
    }

    private static void DescribeColumn(ColumnModel oc, ColumnModel tc, SchemaModel old, SchemaModel current, string name, DbProvider provider,
        Action<string, string, SourceLocation, Danger?> add, Action<ChangeNote> note, string table)
    {
        if (oc.Type != tc.Type || (tc.Type.Kind == DbTypeKind.Enum && StoreTypes.EnumLength(old.FindEnum(oc.Type.EnumName ?? "")) != StoreTypes.EnumLength(current.FindEnum(tc.Type.EnumName ?? ""))))
        {
            var why = Narrowing(oc.Type, tc.Type, old, current);
            add("AlterColumn", $"changed the type of column '{name}' from {oc.Type} to {tc.Type}", tc.Location,
                why is null ? null : D(DangerCodes.NarrowType, $"{why}: existing values of '{name}' may not fit"));
            if (provider == DbProvider.PostgreSql && PostgresLockSafety.Rewrites(oc.Type, tc.Type))
                note(new ChangeNote(DangerCodes.TableRewrite,
                    $"PostgreSQL rewrites table {table} and its indexes to change {oc.Type} to {tc.Type}, holding an ACCESS EXCLUSIVE lock: " +
                    "reads and writes wait until every row is copied. On a big table, add a new column, backfill it in batches, switch the code to it, " +
                    "then drop the old column in a later release.", table));
            if (why is not null)
                note(Breaking(DangerCodes.RunningCodeMayViolate, $"its code may write values of {oc.Type} to '{name}' that {tc.Type} cannot hold.", RuleTwoSteps));
        }
        if (oc.Nullable && !tc.Nullable)
        {
            add("AlterColumn", $"made column '{name}' NOT NULL", tc.Location,
                D(DangerCodes.NotNullWithoutDefault, $"existing rows may have NULL in '{name}'"));
            note(Breaking(DangerCodes.RunningCodeMayViolate, $"its code may write NULL to '{name}'.", RuleTwoSteps));
        }
        else if (!oc.Nullable && tc.Nullable)
            add("AlterColumn", $"made column '{name}' nullable", tc.Location, null);
        if (!Equals(DefaultText(oc), DefaultText(tc)))
            add("AlterColumn", $"changed the default of column '{name}': {DefaultText(oc) ?? "none"} → {DefaultText(tc) ?? "none"}", tc.Location, null);
        if (oc.Identity != tc.Identity)
            add("AlterColumn", $"{(tc.Identity ? "made" : "stopped")} column '{name}' {(tc.Identity ? "an identity" : "being an identity")}", tc.Location, null);
        if (oc.Comment != tc.Comment)
            add("AlterColumn", $"changed the comment of column '{name}'", tc.Location, null);
        if (oc.Deprecated != tc.Deprecated)
            add("AlterColumn", tc.Deprecated is null ? $"column '{name}' is no longer deprecated"
                : $"deprecated column '{name}'{(tc.Deprecated.Length == 0 ? "" : $" ({tc.Deprecated})")}: it stays in the database and its C# property is [Obsolete]", tc.Location, null);
        if (oc.Min != tc.Min || oc.Max != tc.Max || oc.MinLength != tc.MinLength)
        {
            var tighter = (tc.Min is { } a && (oc.Min is not { } b || a > b)) || (tc.Max is { } c && (oc.Max is not { } d || c < d))
                || (tc.MinLength is { } e && (oc.MinLength is not { } f || e > f));
            static string V<T>(T? v) where T : struct => v is { } x ? Convert.ToString(x, System.Globalization.CultureInfo.InvariantCulture)! : "none";
            var rules = new List<string>();
            if (oc.Min != tc.Min) rules.Add($"min: {V(oc.Min)} → {V(tc.Min)}");
            if (oc.Max != tc.Max) rules.Add($"max: {V(oc.Max)} → {V(tc.Max)}");
            if (oc.MinLength != tc.MinLength) rules.Add($"minLength: {V(oc.MinLength)} → {V(tc.MinLength)}");
            add("AlterColumn", $"changed the rules of column '{name}': {string.Join(", ", rules)}",
                tc.Location, tighter ? D(DangerCodes.CheckOnExistingTable, $"existing values of '{name}' may break the tighter rule") : null);
            if (tighter) note(Breaking(DangerCodes.RunningCodeMayViolate, $"its code validates '{name}' with the old rule and may write values the new one refuses.", RuleTwoSteps));
        }
        if (!oc.Unique && tc.Unique)
        {
            add("AddIndex", $"made column '{name}' unique", tc.Location, D(DangerCodes.UniqueOnExistingTable, $"existing rows may have duplicates in '{name}'"));
            note(Breaking(DangerCodes.RunningCodeMayViolate, $"its code may insert duplicates of '{name}', which the new unique index refuses.", RuleTwoSteps));
        }
        else if (oc.Unique && !tc.Unique)
            add("DropIndex", $"column '{name}' is no longer unique", tc.Location, null);
        if (!SameReference(oc.References, tc.References) || (oc.References is null) != (tc.References is null))
        {
            if (oc.References is { } ofk)
                add("DropForeignKey", $"dropped foreign key '{ofk.ConstraintName}' from '{name}' to '{ofk.Entity}.{ofk.Column}'", tc.Location, null);
            if (tc.References is { } tfk)
                add("AddForeignKey", $"added foreign key '{tfk.ConstraintName}' from '{name}' to '{tfk.Entity}.{tfk.Column}' (on delete {tfk.OnDelete})", tfk.Location,
                    D(DangerCodes.ForeignKeyOnExistingColumn, $"existing values of '{name}' must reference existing rows of '{tfk.Entity}'"));
        }
    }

    private static string? DefaultText(ColumnModel c) =>
        c.DefaultSql is not null ? $"sql({c.DefaultSql})" : c.Default is null ? null : Schema.Snapshot.SnapshotWriter.DefaultText(c.Default);

    private static int IntRank(DbTypeKind k) => k switch { DbTypeKind.Int16 => 1, DbTypeKind.Int32 => 2, DbTypeKind.Int64 => 3, _ => 0 };
    private static int IntDigits(DbTypeKind k) => k switch { DbTypeKind.Int16 => 5, DbTypeKind.Int32 => 10, _ => 19 };

    /// <summary>Null when every value of <paramref name="o"/> fits <paramref name="n"/>; otherwise why not.</summary>
    internal static string? Narrowing(DbType o, DbType n, SchemaModel old, SchemaModel current)
    {
        if (o.Kind == n.Kind)
        {
            switch (o.Kind)
            {
                case DbTypeKind.String or DbTypeKind.Binary:
                    return n.Length is null || (o.Length is { } ol && n.Length >= ol) ? null : $"{o} is longer than {n}";
                case DbTypeKind.Decimal:
                    if (n.Precision is null) return null;
                    if (o.Precision is null) return $"{n} has a fixed precision";
                    var (os, ns) = (o.Scale ?? 0, n.Scale ?? 0);
                    if (ns < os) return $"{n} keeps fewer decimals than {o}";
                    return n.Precision - ns < o.Precision - os ? $"{n} holds fewer integer digits than {o}" : null;
                case DbTypeKind.Enum:
                    return o.EnumName == n.EnumName ? null : $"values of {o} are not members of {n}";
                default:
                    return null;
            }
        }
        if (IntRank(o.Kind) > 0 && IntRank(n.Kind) > 0) return IntRank(n.Kind) >= IntRank(o.Kind) ? null : $"{n} is smaller than {o}";
        if (o.Kind == DbTypeKind.Float32 && n.Kind == DbTypeKind.Float64) return null;
        if (IntRank(o.Kind) > 0 && n.Kind == DbTypeKind.Decimal)
            return n.Precision is null || n.Precision - (n.Scale ?? 0) >= IntDigits(o.Kind) ? null : $"{n} holds fewer digits than {o}";
        if (o.Kind == DbTypeKind.Enum && n.Kind == DbTypeKind.String)
        {
            var longest = old.FindEnum(o.EnumName ?? "")?.Members.Max(m => m.Length) ?? int.MaxValue;
            return n.Length is null || n.Length >= longest ? null : $"members of {o} are longer than {n}";
        }
        return $"{o} cannot be converted to {n} safely";
    }
}
