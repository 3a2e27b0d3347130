using DbOps.Schema.Validation;
using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>
/// Writes one entity's repository: the SQL constants, the table description, the static binders and readers, and one
/// single-call method per operation over the runtime's statement helpers (<c>DbOpsSession.GetAsync</c>, ...). The
/// connection lease, error translation and async state machines live in the runtime, not here.
/// </summary>
internal sealed partial class RepositoryEmitter(SchemaModel schema, EntityModel e, Dialect d, CodeWriter w)
{
    private readonly EntitySql _sql = new(e, d);
    private const string Ct = "CancellationToken cancellationToken = default";

    private string Repo => e.Name + "Repository";

    public void Emit()
    {
        var (unique, lists) = _sql.Finders();
        w.Summary($"Data access for {e.Name} (table {e.Table}). Get it from the database or transaction object's {e.Plural} property. " +
                  "The operations every table has (insert, get, paging, update, upsert, delete, count and their bulk forms) are inherited; this class adds its table's own finders.");
        using (w.Block($"public sealed partial class {Repo} : DbOpsRepository<{e.Name}, {KeyType}>"))
        {
            EmitSqlConstants(unique, lists);
            EmitTableInfo();
            EmitTable();
            if (d.ParameterTypeTable is { } typeTable)
                w.Line($"private static readonly {typeTable}[] Types = [{string.Join(", ", _sql.Columns.Select(c => d.ParameterType(c.Type)))}];");
            d.EmitBulkField(e, _sql, w, InsertValues, Indexes(_sql.InsertColumns));
            EmitBulkDescriptors();
            EmitMap();
            w.Line();
            w.Line($"internal {Repo}(DbOpsSession session) : base(session, Map) {{ }}");
            w.Line();
            EmitReadAndBinders();
            if (_sql.Keys.Count > 1) EmitKeyOverloads();
            foreach (var u in unique) EmitFind(u, single: true);
            foreach (var l in lists) EmitFind(l, single: false);
            EmitBatchFinds(lists);
        }
    }

    /// <summary>
    /// The statements and binders the inherited operations run (<c>DbOpsRepository</c>), in one static map. It comes
    /// after every static field it reads: static initializers run in textual order.
    /// </summary>
    private void EmitMap()
    {
        var identity = _sql.IdentityKey;
        var update = _sql.SetColumns.Count > 0;
        var items = new List<string>
        {
            "Table = Table,",
            $"Parameter = Parameter, InsertColumns = {Indexes(_sql.InsertColumns)}, UpsertColumns = {Indexes(_sql.UpsertCols)}{(update ? $", UpdateColumns = {Indexes(_sql.SetColumns.Concat(_sql.Keys))}" : "")},",
            $"InsertSql = InsertSql{(_sql.Returning.Count > 0 ? ", ReadInserted = ReadInserted" : "")},",
            "GetSql = GetSql, BindKey = BindKey, ListSql = ListSql, ListAfterSql = ListAfterSql, CountSql = CountSql, DeleteSql = DeleteSql,",
        };
        if (update) items.Add("UpdateSql = UpdateSql,");
        var upsert = "UpsertSql = UpsertSql";
        if (identity is not null) upsert += $", IsNew = static entity => entity.{identity.Name} == 0, IdentityName = {Cs.String(identity.Name)}";
        if (_sql.IdentitySyncSql is not null && identity is not null)
            upsert += ", UpsertFollowUpSql = IdentitySyncSql, BindUpsertFollowUp = static (command, entity) => command.Parameters.Add(" +
                      d.NewParameter(new DbType(DbTypeKind.Int64), false, $"(long)entity.{identity.Name}", 0) + ")";
        items.Add(upsert + ",");
        items.Add("Bulk = Bulk,");
        items.AddRange(BulkMapItems());
        using (w.Block($"private static readonly DbOpsRepositoryMap<{e.Name}, {KeyType}> Map = new()", ";"))
            foreach (var item in items) w.Line(item);
    }

    private void Const(string name, string sql) => w.Line($"internal const string {name} = {Cs.String(sql)};");

    private void EmitSqlConstants(List<List<ColumnModel>> unique, List<List<ColumnModel>> lists)
    {
        Const("InsertSql", _sql.InsertSql(returning: true));
        if (d.IsSqlite) Const("InsertManySql", _sql.InsertSql(returning: false));
        if (d.IsPostgres) foreach (var (name, sql) in _sql.CopySql()) Const(name, sql);
        Const("GetSql", _sql.GetSql);
        foreach (var u in unique) Const($"GetBy{EntitySql.JoinNames(u)}Sql", _sql.FindSql(u));
        foreach (var l in lists) Const($"ListBy{EntitySql.JoinNames(l)}Sql", _sql.FindSql(l));
        Const("ListSql", _sql.ListSql(after: false));
        Const("ListAfterSql", _sql.ListSql(after: true));
        if (_sql.SetColumns.Count > 0) Const("UpdateSql", _sql.UpdateSql);
        Const("UpsertSql", _sql.UpsertSql);
        if (_sql.IdentitySyncSql is { } sync) Const("IdentitySyncSql", sync);
        Const("DeleteSql", _sql.DeleteSql);
        Const("CountSql", _sql.CountSql);
        w.Line();
    }

    private void EmitTableInfo()
    {
        // Names from their one owner (Identifiers, which the validator and DbOps.Sql use too); a unique column gets its own ux_ index unless an unfiltered unique index covers it.
        var keys = new List<string> { $"new DbOpsUniqueKey({Cs.String(Identifiers.PrimaryKeyName(e.Table))}, [{string.Join(", ", _sql.Keys.Select(k => Cs.String(k.ColumnName)))}])" };
        var named = new HashSet<string>();
        foreach (var ix in e.Indexes.Where(i => i.Unique))
        {
            keys.Add($"new DbOpsUniqueKey({Cs.String(ix.Name)}, [{string.Join(", ", ix.Columns.Select(c => Cs.String(e.Column(c).ColumnName)))}])");
            if (ix.Columns.Count == 1 && ix.Where is null) named.Add(ix.Columns[0]);
        }
        foreach (var c in _sql.Columns.Where(c => c.Unique && !named.Contains(c.Name)))
            keys.Add($"new DbOpsUniqueKey({Cs.String(Identifiers.UniqueColumnIndexName(e.Table, c.ColumnName))}, [{Cs.String(c.ColumnName)}])");
        var fks = _sql.Columns.Where(c => c.References is not null).Select(c => Cs.String(c.References!.ConstraintName));
        var referencedBy = schema.Entities.SelectMany(o => o.Columns.Where(c => c.References?.Entity == e.Name))
            .Select(c => Cs.String(c.References!.ConstraintName));
        w.Line($"internal static readonly DbOpsTableInfo TableInfo = new({Cs.String(e.Table)}, [{string.Join(", ", keys)}], [{string.Join(", ", fks)}], [{string.Join(", ", referencedBy)}]);");
    }

    private void EmitTable()
    {
        var guidKeys = _sql.Keys.Where(k => k.Type.Kind == DbTypeKind.Guid && !k.Nullable).ToList();
        var keys = guidKeys.Count == 0 ? "" :
            $", static entity => {{ {string.Concat(guidKeys.Select(k => $"if (entity.{k.Name} == Guid.Empty) entity.{k.Name} = Guid.CreateVersion7(); "))}}}";
        w.Line($"private static readonly DbOpsTable<{e.Name}> Table = new({d.Services}, TableInfo, {Cs.String(e.Name)}, Read, static entity => entity.Validate(){keys});");
    }

    // ---------------------------------------------------------------- readers and binders (static: no closures)

    private string KeyParameter(ColumnModel c, int index, string expr) => d.NewParameter(c.Type, false, expr, index);

    /// <summary>
    /// One switch for the parameters of every one-row write: column i of the entity as an unnamed parameter (the runtime
    /// names it by its position in the statement). With <c>insert</c> (insert, upsert), an unset column with a database
    /// default is sent as NULL, which the statement's COALESCE replaces by the default.
    /// </summary>
    private void EmitParameterSwitch()
    {
        w.Line($"/// <summary>The parameter for column <paramref name=\"i\"/> (table order) of <paramref name=\"e\"/>; with <paramref name=\"insert\"/>, an unset database default is NULL.</summary>");
        if (d.ParameterTypeTable is not null)
        {
            // The provider takes boxed values: the bulk value getters and the Types table say everything.
            var value = HasDefaults ? "insert ? UpsertValues(e, i) : BulkValues(e, i)" : "BulkValues(e, i)";
            w.Line($"private static DbParameter Parameter({e.Name} e, int i, bool insert) => {d.ParameterFromTypes(value)};");
            w.Line();
            return;
        }
        using (w.Block($"private static DbParameter Parameter({e.Name} e, int i, bool insert) => i switch", ";"))
        {
            for (var i = 0; i < _sql.Columns.Count; i++)
            {
                var c = _sql.Columns[i];
                var expr = "e." + c.Name;
                var nullWhen = EntitySql.HasDefaultSql(c) ? "insert && " + EntitySql.UnsetTest(c, expr) : null;
                w.Line($"{i} => {d.NewParameter(c.Type, c.Nullable, expr, i, name: "", nullWhen: nullWhen)},");
            }
            w.Line("_ => throw new ArgumentOutOfRangeException(nameof(i)),");
        }
        w.Line();
    }

    /// <summary>True when a column has a database default: inserts and upserts then send NULL for an unset value (UpsertValues).</summary>
    private bool HasDefaults => _sql.Columns.Any(EntitySql.HasDefaultSql);

    /// <summary>The value getter of inserts: unset database defaults as NULL when there are any.</summary>
    private string InsertValues => HasDefaults ? "UpsertValues" : "BulkValues";

    private string KeyType => _sql.Keys.Count == 1 ? Cs.ClrType(_sql.Keys[0].Type) : $"({string.Join(", ", _sql.Keys.Select(k => Cs.ClrType(k.Type)))})";

    /// <summary>The value passed as TArg for columns <paramref name="cols"/>: the parameter, or a tuple of them.</summary>
    private static string Arg(IReadOnlyList<ColumnModel> cols) =>
        cols.Count == 1 ? Cs.Param(cols[0].Name) : $"({string.Join(", ", cols.Select(c => Cs.Param(c.Name)))})";

    /// <summary>The C# type of TArg for columns <paramref name="cols"/> (written out: explicit type arguments spare the compiler's inference).</summary>
    private static string ArgType(IReadOnlyList<ColumnModel> cols) =>
        cols.Count == 1 ? Cs.ClrType(cols[0].Type) : $"({string.Join(", ", cols.Select(c => Cs.ClrType(c.Type)))})";

    /// <summary>The member of TArg <paramref name="arg"/> holding column <paramref name="i"/> of <paramref name="count"/>.</summary>
    private static string Item(string arg, int i, int count) => count == 1 ? arg : $"{arg}.Item{i + 1}";

    private void EmitReadAndBinders()
    {
        w.Summary($"Maps the current row (columns in table order, as selected by this repository) to a {e.Name}.");
        using (w.Block($"internal static {e.Name} Read(DbDataReader reader) => new()", ";"))
        {
            for (var i = 0; i < _sql.Columns.Count; i++)
                w.Line($"{_sql.Columns[i].Name} = {d.Read(_sql.Columns[i].Type, _sql.Columns[i].Nullable, "reader", i)},");
        }
        w.Line();
        var keys = _sql.Keys;
        if (keys.Count == 1)
            w.Line($"private static void BindKey(DbCommand command, {KeyType} key) => command.Parameters.Add({KeyParameter(keys[0], 0, "key")});");
        else
        {
            using (w.Block($"private static void BindKey(DbCommand command, {KeyType} key)"))
                for (var i = 0; i < keys.Count; i++) w.Line($"command.Parameters.Add({KeyParameter(keys[i], i, Item("key", i, keys.Count))});");
        }
        w.Line();
        if (_sql.Returning.Count > 0)
        {
            using (w.Block($"private static void ReadInserted(DbDataReader reader, {e.Name} entity)"))
                for (var i = 0; i < _sql.Returning.Count; i++)
                    w.Line($"entity.{_sql.Returning[i].Name} = {d.Read(_sql.Returning[i].Type, _sql.Returning[i].Nullable, "reader", i)};");
            w.Line();
        }
        EmitParameterSwitch();
    }

    // ---------------------------------------------------------------- what only this table has

    private string KeyParams => string.Join(", ", _sql.Keys.Select(k => $"{Cs.ClrType(k.Type)} {Cs.Param(k.Name)}"));

    /// <summary>A composite key's operations with one parameter per key column, next to the inherited tuple forms.</summary>
    private void EmitKeyOverloads()
    {
        var key = Arg(_sql.Keys);
        w.Line($"/// <summary>The {e.Name} with the given primary key, or null.</summary>");
        w.Line($"public Task<{e.Name}?> GetAsync({KeyParams}, {Ct}) => GetAsync({key}, cancellationToken);");
        w.Line();
        w.Line($"/// <summary>Keyset paging: the next page of at most <paramref name=\"limit\"/> rows ordered by primary key, after the row with the given key.</summary>");
        w.Line($"public Task<IReadOnlyList<{e.Name}>> ListAfterAsync({KeyParams}, int limit, {Ct}) => ListAfterAsync({key}, limit, cancellationToken);");
        w.Line();
        w.Line($"/// <summary>Deletes the {e.Name} with the given primary key; false when no such row exists.</summary>");
        w.Line("/// <exception cref=\"DbOpsForeignKeyViolationException\">Other rows still reference it.</exception>");
        w.Line($"public Task<bool> DeleteAsync({KeyParams}, {Ct}) => DeleteAsync({key}, cancellationToken);");
        w.Line();
    }

    /// <summary>A static lambda binding <paramref name="cols"/> from TArg <c>arg</c>, then the extra parameter lines.</summary>
    private string Binder(IReadOnlyList<ColumnModel> cols, string arg, params string[] extra)
    {
        var adds = cols.Select((c, i) => $"command.Parameters.Add({KeyParameter(c, i, Item(arg, i, cols.Count))});").Concat(extra).ToList();
        return adds.Count == 1 ? $"static (command, {arg}) => {adds[0].TrimEnd(';')}" : $"static (command, {arg}) => {{ {string.Join(" ", adds)} }}";
    }

    private void EmitFind(List<ColumnModel> cols, bool single)
    {
        var name = (single ? "GetBy" : "ListBy") + EntitySql.JoinNames(cols);
        var ps = string.Join(", ", cols.Select(c => $"{Cs.ClrType(c.Type)} {Cs.Param(c.Name)}"));
        var what = string.Join(", ", cols.Select(c => c.Name));
        if (single) w.Line($"/// <summary>The {e.Name} with the given {what} (unique), or null.</summary>");
        else w.Line($"/// <summary>Every {e.Name} with the given {what}, ordered by primary key.</summary>");
        var ret = single ? $"{e.Name}?" : $"IReadOnlyList<{e.Name}>";
        w.Line($"public Task<{ret}> {name}Async({ps}, {Ct}) =>");
        w.Line($"    Session.{(single ? "GetAsync" : "ListAsync")}<{e.Name}, {ArgType(cols)}>(Table, {name}Sql, {Arg(cols)}, {Binder(cols, "arg")}, cancellationToken);");
        w.Line();
    }
}
