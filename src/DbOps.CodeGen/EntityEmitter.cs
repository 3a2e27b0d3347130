using System.Globalization;
using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>Writes one entity class and its repository.</summary>
internal sealed class EntityEmitter
{
    private readonly SchemaModel _schema;
    private readonly EntityModel _e;
    private readonly Dialect _d;
    private readonly CodeWriter _w;
    private readonly string _enumsClass;
    private readonly List<ColumnModel> _cols;
    private readonly List<ColumnModel> _keys;
    private readonly List<ColumnModel> _insertCols;
    private readonly List<ColumnModel> _returning;
    private readonly List<ColumnModel> _setCols;
    private readonly string _table;

    public EntityEmitter(SchemaModel schema, EntityModel entity, Dialect dialect, CodeWriter writer, string enumsClass)
    {
        _schema = schema;
        _e = entity;
        _d = dialect;
        _w = writer;
        _enumsClass = enumsClass;
        _cols = [.. entity.Columns];
        _keys = [.. entity.KeyColumns];
        _insertCols = [.. _cols.Where(c => !c.Identity)];
        _returning = [.. _cols.Where(c => c.Identity || (c.DefaultSql is not null))];
        _setCols = [.. _cols.Where(c => !entity.PrimaryKey.Contains(c.Name) && !c.Identity)];
        _table = dialect.Quote(entity.Table);
    }

    private string Repo => _e.Name + "Repository";
    private string Q(ColumnModel c) => _d.Quote(c.ColumnName);
    private string SelectList => string.Join(", ", _cols.Select(Q));
    private string OrderBy => string.Join(", ", _keys.Select(Q));
    private static bool HasDefaultSql(ColumnModel c) => c.DefaultSql is not null && !c.Identity;

    /// <summary>When true at run time the column is "unset" and the database default applies (EF Core's convention: the CLR default).</summary>
    private static string UnsetTest(ColumnModel c, string expr)
    {
        if (c.Nullable) return $"{expr} is null";
        return c.Type.Kind switch
        {
            DbTypeKind.String or DbTypeKind.Json => $"string.IsNullOrEmpty({expr})",
            DbTypeKind.Binary => $"({expr} is null || {expr}.Length == 0)",
            DbTypeKind.Bool => $"!{expr}",
            _ => $"{expr} == default",
        };
    }

    public void EmitEntity()
    {
        var w = _w;
        w.Summary(_e.Comment ?? $"A row of table {_e.Table}.");
        if (Obsolete(_e) is { } obsoleteEntity) w.Line(obsoleteEntity);
        w.Open($"public partial class {_e.Name}");
        foreach (var c in _cols.Where(c => c.Pattern is not null))
            w.Line($"private static readonly Regex _{Cs.Param(c.Name).TrimStart('@')}Pattern = new({Cs.String(c.Pattern!)}, RegexOptions.CultureInvariant | RegexOptions.Compiled);");
        if (_cols.Any(c => c.Pattern is not null)) w.Line();
        foreach (var c in _cols)
        {
            var doc = c.Comment ?? $"Column {c.ColumnName} ({c.Type}{(c.Nullable ? ", nullable" : "")}{(c.Identity ? ", identity" : "")}{(_e.PrimaryKey.Contains(c.Name) ? ", primary key" : "")}).";
            if (c.DefaultSql is not null && !c.Identity)
                doc += $" Database default {c.DefaultSql}: applies on insert while the property holds {(c.Nullable ? "null" : "its CLR default")}.";
            w.Summary(doc);
            if (c.Deprecated is { } reason)
                w.Line(ObsoleteAttribute(reason, $"Column {_e.Name}.{c.Name} is deprecated: it stays in the database for now and is dropped in a later release."));
            var type = Cs.ClrType(c.Type, c.Nullable);
            string? init = null;
            if (c.Default is not null) init = Cs.Literal(c.Default, c.Type);
            else if (!c.Nullable && c.Type.Kind is DbTypeKind.String or DbTypeKind.Json) init = "\"\"";
            else if (!c.Nullable && c.Type.Kind is DbTypeKind.Binary) init = "global::System.Array.Empty<byte>()";
            w.Line($"public {type} {c.Name} {{ get; set; }}{(init is null ? "" : $" = {init};")}");
            w.Line();
        }
        EmitValidate();
        w.Close();
    }

    /// <summary>
    /// <c>deprecated:</c> on an entity: the <c>[Obsolete]</c> line for its type and its repository properties (null when
    /// not deprecated), so the application's call sites warn.
    /// </summary>
    internal static string? Obsolete(EntityModel e) => e.Deprecated is { } reason
        ? ObsoleteAttribute(reason, $"Entity {e.Name} is deprecated: table {e.Table} stays in the database for now and is dropped in a later release.")
        : null;

    private static string ObsoleteAttribute(string reason, string fallback) =>
        $"[global::System.Obsolete({Cs.String(reason.Length == 0 ? fallback : reason)})]";

    private void EmitValidate()
    {
        var w = _w;
        w.Summary("Checks every rule of the schema (NOT NULL, length, minLength, min/max, pattern, enum) and returns each failure; empty when valid.");
        w.Open("public IReadOnlyList<DbOpsValidationFailure> Validate()");
        w.Line("List<DbOpsValidationFailure>? failures = null;");
        foreach (var c in _cols)
        {
            var p = c.Name;
            var who = $"{_e.Name}.{c.Name}";
            void Fail(string rule, string message) =>
                w.Line($"(failures ??= []).Add(new DbOpsValidationFailure({Cs.String(p)}, {Cs.String(rule)}, {Cs.String(message)}));");
            var isText = c.Type.Kind is DbTypeKind.String or DbTypeKind.Json;
            var isBinary = c.Type.Kind == DbTypeKind.Binary;
            if (isText || isBinary)
            {
                var rules = new List<(string Cond, string Rule, string Msg)>();
                if (c.Type.Length is { } n)
                    rules.Add(($"{p}.Length > {n}", "maxLength", $"{who} must be at most {n} {(isBinary ? "bytes" : "characters")}."));
                if (c.MinLength is { } m)
                    rules.Add(($"{p}.Length < {m}", "minLength", $"{who} must be at least {m} {(isBinary ? "bytes" : "characters")}."));
                if (c.Pattern is not null && isText)
                    rules.Add(($"!_{Cs.Param(c.Name).TrimStart('@')}Pattern.IsMatch({p})", "pattern", $"{who} must match the pattern {c.Pattern}."));
                if (!c.Nullable)
                {
                    w.Open($"if ({p} is null)");
                    Fail("required", $"{who} is required.");
                    w.Close();
                    if (rules.Count > 0)
                    {
                        w.Open("else");
                        foreach (var r in rules) { w.Open($"if ({r.Cond})"); Fail(r.Rule, r.Msg); w.Close(); }
                        w.Close();
                    }
                }
                else if (rules.Count > 0)
                {
                    w.Open($"if ({p} is not null)");
                    foreach (var r in rules) { w.Open($"if ({r.Cond})"); Fail(r.Rule, r.Msg); w.Close(); }
                    w.Close();
                }
            }
            else if (c.Type.IsNumeric && (c.Min is not null || c.Max is not null))
            {
                var v = c.Nullable ? $"{p}.Value" : p;
                string Lit(decimal d) => c.Type.Kind is DbTypeKind.Float32 or DbTypeKind.Float64 ? Cs.Double((double)d) : Cs.Decimal(d);
                var guard = c.Nullable ? $"{p}.HasValue && " : "";
                if (c.Min is { } min) { w.Open($"if ({guard}{v} < {Lit(min)})"); Fail("min", $"{who} must be at least {min.ToString(CultureInfo.InvariantCulture)}."); w.Close(); }
                if (c.Max is { } max) { w.Open($"if ({guard}{v} > {Lit(max)})"); Fail("max", $"{who} must be at most {max.ToString(CultureInfo.InvariantCulture)}."); w.Close(); }
            }
            else if (c.Type.Kind == DbTypeKind.Enum)
            {
                var count = _schema.FindEnum(c.Type.EnumName!)?.Members.Count ?? 0;
                var cond = c.Nullable ? $"{p}.HasValue && (uint){p}.Value >= {count}u" : $"(uint){p} >= {count}u";
                w.Open($"if ({cond})");
                Fail("enum", $"{who} is not a member of {c.Type.EnumName}.");
                w.Close();
            }
        }
        w.Line("return failures is null ? global::System.Array.Empty<DbOpsValidationFailure>() : failures;");
        w.Close();
    }

    // ---------------------------------------------------------------- SQL

    private string InsertSql(bool returning)
    {
        var placeholders = new List<string>();
        for (var i = 0; i < _insertCols.Count; i++)
        {
            var c = _insertCols[i];
            placeholders.Add(HasDefaultSql(c) ? $"COALESCE({_d.Placeholder(i)}, {c.DefaultSql})" : _d.Placeholder(i));
        }
        var cols = _insertCols.Count == 0 ? "" : $" ({string.Join(", ", _insertCols.Select(Q))})";
        var values = _insertCols.Count == 0 ? " DEFAULT VALUES" : $" VALUES ({string.Join(", ", placeholders)})";
        if (!returning || _returning.Count == 0) return $"INSERT INTO {_table}{cols}{values}";
        if (_d.IsSqlServer)
            return $"INSERT INTO {_table}{cols} OUTPUT {string.Join(", ", _returning.Select(c => "INSERTED." + Q(c)))}{values}";
        return $"INSERT INTO {_table}{cols}{values} RETURNING {string.Join(", ", _returning.Select(Q))}";
    }

    private string KeyWhere(int firstIndex) =>
        string.Join(" AND ", _keys.Select((k, i) => $"{Q(k)} = {_d.Placeholder(firstIndex + i)}"));

    private string GetSql => $"SELECT {SelectList} FROM {_table} WHERE {KeyWhere(0)}";
    private string UpdateSql => $"UPDATE {_table} SET {string.Join(", ", _setCols.Select((c, i) => $"{Q(c)} = {_d.Placeholder(i)}"))} WHERE {KeyWhere(_setCols.Count)}";
    private string DeleteSql => $"DELETE FROM {_table} WHERE {KeyWhere(0)}";
    private string CountSql => _d.IsSqlServer ? $"SELECT COUNT_BIG(*) FROM {_table}" : $"SELECT COUNT(*) FROM {_table}";

    /// <summary>Columns written by upsert: every column (explicit keys too), in column order.</summary>
    private List<ColumnModel> UpsertCols => [.. _cols.Where(c => !c.Identity || _e.PrimaryKey.Contains(c.Name))];

    private string UpsertSql
    {
        get
        {
            var cols = UpsertCols;
            var values = cols.Select((c, i) => HasDefaultSql(c) ? $"COALESCE({_d.Placeholder(i)}, {c.DefaultSql})" : _d.Placeholder(i)).ToList();
            var updates = cols.Where(c => !_e.PrimaryKey.Contains(c.Name)).ToList();
            if (!_d.IsSqlServer)
            {
                var conflict = $"ON CONFLICT ({OrderBy}) DO " + (updates.Count == 0
                    ? "NOTHING"
                    : "UPDATE SET " + string.Join(", ", updates.Select(c => $"{Q(c)} = excluded.{Q(c)}")));
                return $"INSERT INTO {_table} ({string.Join(", ", cols.Select(Q))}) VALUES ({string.Join(", ", values)}) {conflict}";
            }
            var on = string.Join(" AND ", _keys.Select(k => $"target.{Q(k)} = source.{Q(k)}"));
            var merge = $"MERGE INTO {_table} WITH (HOLDLOCK) AS target USING (VALUES ({string.Join(", ", values)})) AS source ({string.Join(", ", cols.Select(Q))}) ON {on}"
                + (updates.Count == 0 ? "" : $" WHEN MATCHED THEN UPDATE SET {string.Join(", ", updates.Select(c => $"target.{Q(c)} = source.{Q(c)}"))}")
                + $" WHEN NOT MATCHED THEN INSERT ({string.Join(", ", cols.Select(Q))}) VALUES ({string.Join(", ", cols.Select(c => "source." + Q(c)))});";
            return _keys.Any(k => k.Identity)
                ? $"SET IDENTITY_INSERT {_table} ON; {merge} SET IDENTITY_INSERT {_table} OFF;"
                : merge;
        }
    }

    private string ListSql(bool after)
    {
        var where = "";
        var limitIndex = 0;
        if (after)
        {
            limitIndex = _keys.Count;
            if (_d.IsSqlServer)
            {
                var ors = new List<string>();
                for (var i = 0; i < _keys.Count; i++)
                {
                    var parts = _keys.Take(i).Select((k, j) => $"{Q(k)} = {_d.Placeholder(j)}").ToList();
                    parts.Add($"{Q(_keys[i])} > {_d.Placeholder(i)}");
                    ors.Add(parts.Count == 1 ? parts[0] : "(" + string.Join(" AND ", parts) + ")");
                }
                where = " WHERE " + string.Join(" OR ", ors);
            }
            else if (_keys.Count == 1) where = $" WHERE {Q(_keys[0])} > {_d.Placeholder(0)}";
            else where = $" WHERE ({OrderBy}) > ({string.Join(", ", _keys.Select((_, i) => _d.Placeholder(i)))})";
        }
        return _d.IsSqlServer
            ? $"SELECT TOP ({_d.Placeholder(limitIndex)}) {SelectList} FROM {_table}{where} ORDER BY {OrderBy}"
            : $"SELECT {SelectList} FROM {_table}{where} ORDER BY {OrderBy} LIMIT {_d.Placeholder(limitIndex)}";
    }

    private string FindSql(IReadOnlyList<ColumnModel> cols) =>
        $"SELECT {SelectList} FROM {_table} WHERE {string.Join(" AND ", cols.Select((c, i) => $"{Q(c)} = {_d.Placeholder(i)}"))} ORDER BY {OrderBy}";

    // ---------------------------------------------------------------- finders

    /// <summary>Column lists with a GetBy (unique, unfiltered) and with a ListBy (index prefixes and foreign keys).</summary>
    internal (List<List<ColumnModel>> Unique, List<List<ColumnModel>> Lists) Finders()
    {
        static string Key(IEnumerable<ColumnModel> cols) => string.Join("\u0001", cols.Select(c => c.Name));
        var pk = Key(_keys);
        var seen = new HashSet<string> { pk };
        var unique = new List<List<ColumnModel>>();
        var lists = new List<List<ColumnModel>>();
        void AddUnique(List<ColumnModel> cols) { if (seen.Add(Key(cols))) unique.Add(cols); }
        void AddList(List<ColumnModel> cols) { if (seen.Add(Key(cols))) lists.Add(cols); }

        foreach (var c in _cols.Where(c => c.Unique)) AddUnique([c]);
        foreach (var ix in _e.Indexes.Where(i => i.Unique && i.Where is null)) AddUnique([.. ix.Columns.Select(_e.Column)]);
        for (var n = 1; n < _keys.Count; n++) AddList([.. _keys.Take(n)]);
        foreach (var ix in _e.Indexes)
        {
            var full = ix.Unique && ix.Where is null ? ix.Columns.Count - 1 : ix.Columns.Count;
            for (var n = 1; n <= full; n++) AddList([.. ix.Columns.Take(n).Select(_e.Column)]);
        }
        foreach (var c in _cols.Where(c => c.References is not null)) AddList([c]);
        return (unique, lists);
    }

    private static string JoinNames(IEnumerable<ColumnModel> cols) => string.Join("And", cols.Select(c => c.Name));

    // ---------------------------------------------------------------- repository

    public void EmitRepository()
    {
        var w = _w;
        var (unique, lists) = Finders();
        w.Summary($"Data access for {_e.Name} (table {_e.Table}). Get it from the database or transaction object's {_e.Plural} property.");
        w.Open($"public sealed partial class {Repo}");
        EmitSqlConstants(unique, lists);
        EmitTableInfo();
        w.Line("private readonly DbOpsSession _session;");
        w.Line();
        w.Line($"internal {Repo}(DbOpsSession session) => _session = session;");
        w.Line();
        EmitRead();
        EmitPrepare();
        EmitInsert();
        EmitInsertMany(async: false);
        EmitInsertMany(async: true);
        EmitGet();
        foreach (var u in unique) EmitFind(u, single: true);
        foreach (var l in lists) EmitFind(l, single: false);
        EmitList(after: false);
        EmitList(after: true);
        if (_setCols.Count > 0) EmitUpdate();
        EmitUpsert();
        EmitDelete();
        EmitCount();
        w.Close();
    }

    private void EmitSqlConstants(List<List<ColumnModel>> unique, List<List<ColumnModel>> lists)
    {
        var w = _w;
        void Const(string name, string sql) => w.Line($"internal const string {name} = {Cs.String(sql)};");
        Const("InsertSql", InsertSql(returning: true));
        if (_d.IsSqlite) Const("InsertManySql", InsertSql(returning: false));
        if (_d.IsPostgres) EmitCopySql();
        Const("GetSql", GetSql);
        foreach (var u in unique) Const($"GetBy{JoinNames(u)}Sql", FindSql(u));
        foreach (var l in lists) Const($"ListBy{JoinNames(l)}Sql", FindSql(l));
        Const("ListSql", ListSql(after: false));
        Const("ListAfterSql", ListSql(after: true));
        if (_setCols.Count > 0) Const("UpdateSql", UpdateSql);
        Const("UpsertSql", UpsertSql);
        if (_d.IsPostgres && _keys.FirstOrDefault(k => k.Identity) is { } identity)
        {
            // An explicit key inserted into an identity column does not advance its sequence on PostgreSQL (SQLite's
            // AUTOINCREMENT and SQL Server's IDENTITY do advance): move it forward, never back, or later inserts collide.
            static string Literal(string s) => "'" + s.Replace("'", "''") + "'";
            Const("IdentitySyncSql", $"SELECT setval(q.s, $1) FROM (SELECT pg_get_serial_sequence({Literal(_table)}, {Literal(identity.ColumnName)})::regclass AS s) q WHERE $1 > COALESCE(pg_sequence_last_value(q.s), 0)");
        }
        Const("DeleteSql", DeleteSql);
        Const("CountSql", CountSql);
        if (_d.IsSqlServer)
            w.Line($"private static readonly string[] BulkColumns = [{string.Join(", ", _insertCols.Select(c => Cs.String(c.ColumnName)))}];");
        w.Line();
    }

    private bool NeedsStaging => _insertCols.Any(HasDefaultSql);
    private string StageTable => _d.Quote("dbops_stage_" + _e.Table);

    private void EmitCopySql()
    {
        var cols = string.Join(", ", _insertCols.Select(Q));
        void Const(string name, string sql) => _w.Line($"internal const string {name} = {Cs.String(sql)};");
        if (!NeedsStaging)
        {
            Const("CopySql", $"COPY {_table} ({cols}) FROM STDIN (FORMAT BINARY)");
            return;
        }
        // COPY cannot apply a database default per row: stage into a temp table, then INSERT ... SELECT with COALESCE.
        Const("StageCreateSql", $"CREATE TEMP TABLE {StageTable} ON COMMIT DROP AS SELECT {cols} FROM {_table} WITH NO DATA");
        Const("CopySql", $"COPY {StageTable} ({cols}) FROM STDIN (FORMAT BINARY)");
        var select = string.Join(", ", _insertCols.Select(c => HasDefaultSql(c) ? $"COALESCE({Q(c)}, {c.DefaultSql})" : Q(c)));
        Const("StageInsertSql", $"INSERT INTO {_table} ({cols}) SELECT {select} FROM {StageTable}; DROP TABLE {StageTable}");
    }

    /// <summary>DbOps.Sql's PhysicalNames.Shorten: names over 63 characters become their first 54, '_' and an FNV-1a hash.</summary>
    private static string ShortenGenerated(string name)
    {
        if (name.Length <= 63) return name;
        uint hash = 2166136261;
        foreach (var ch in name) hash = (hash ^ ch) * 16777619;
        return $"{name[..54]}_{hash:x8}";
    }

    private void EmitTableInfo()
    {
        // Names exactly as DbOps.Sql creates them (PhysicalNames/DbModelFactory): generated names longer than 63
        // characters are shortened, and a unique column gets its own ux_ index unless an unfiltered unique index covers it.
        var keys = new List<string> { $"new DbOpsUniqueKey({Cs.String(ShortenGenerated("pk_" + _e.Table))}, [{string.Join(", ", _keys.Select(k => Cs.String(k.ColumnName)))}])" };
        var named = new HashSet<string>();
        foreach (var ix in _e.Indexes.Where(i => i.Unique))
        {
            keys.Add($"new DbOpsUniqueKey({Cs.String(ix.Name)}, [{string.Join(", ", ix.Columns.Select(c => Cs.String(_e.Column(c).ColumnName)))}])");
            if (ix.Columns.Count == 1 && ix.Where is null) named.Add(ix.Columns[0]);
        }
        foreach (var c in _cols.Where(c => c.Unique && !named.Contains(c.Name)))
            keys.Add($"new DbOpsUniqueKey({Cs.String(ShortenGenerated($"ux_{_e.Table}_{c.ColumnName}"))}, [{Cs.String(c.ColumnName)}])");
        var fks = _cols.Where(c => c.References is not null).Select(c => Cs.String(c.References!.ConstraintName));
        var referencedBy = _schema.Entities.SelectMany(o => o.Columns.Where(c => c.References?.Entity == _e.Name))
            .Select(c => Cs.String(c.References!.ConstraintName));
        _w.Line($"internal static readonly DbOpsTableInfo TableInfo = new({Cs.String(_e.Table)}, [{string.Join(", ", keys)}], [{string.Join(", ", fks)}], [{string.Join(", ", referencedBy)}]);");
        _w.Line();
    }

    private void EmitRead()
    {
        var w = _w;
        w.Summary($"Maps the current row (columns in table order, as selected by this repository) to a {_e.Name}.");
        w.Open($"internal static {_e.Name} Read(DbDataReader reader) => new()");
        for (var i = 0; i < _cols.Count; i++)
            w.Line($"{_cols[i].Name} = {_d.Read(_cols[i].Type, _cols[i].Nullable, "reader", i)},");
        w.Close(";");
        w.Line();
    }

    private void EmitPrepare()
    {
        var w = _w;
        w.Open($"private static void Validate({_e.Name} entity)");
        w.Line("var failures = entity.Validate();");
        w.Line($"if (failures.Count > 0) throw new DbOpsValidationException({Cs.String(_e.Name)}, failures);");
        w.Close();
        w.Line();
        w.Open($"private static void PrepareInsert({_e.Name} entity)");
        w.Line("ArgumentNullException.ThrowIfNull(entity);");
        w.Line("Validate(entity);");
        foreach (var k in _keys.Where(k => k.Type.Kind == DbTypeKind.Guid && !k.Nullable))
            w.Line($"if (entity.{k.Name} == Guid.Empty) entity.{k.Name} = Guid.CreateVersion7();");
        w.Close();
        w.Line();
    }

    private string ParamFor(ColumnModel c, int index, string expr, bool applyDefault) =>
        _d.NewParameter(c.Type, c.Nullable, expr, index, nullWhen: applyDefault && HasDefaultSql(c) ? UnsetTest(c, expr) : null);

    private void AddParams(IReadOnlyList<ColumnModel> cols, Func<ColumnModel, string> expr, int first = 0, bool applyDefault = false)
    {
        for (var i = 0; i < cols.Count; i++)
            _w.Line($"command.Parameters.Add({ParamFor(cols[i], first + i, expr(cols[i]), applyDefault)});");
    }

    private void OpenConnection()
    {
        _w.Line("var connection = await _session.OpenAsync(cancellationToken).ConfigureAwait(false);");
        _w.Open("try");
    }

    private void CloseConnection(string? translateKind)
    {
        var w = _w;
        w.Close();
        if (translateKind is not null)
        {
            w.Open($"catch (DbException ex) when ({_d.Services}.Translate(ex, TableInfo, DbOpsStatementKind.{translateKind}) is {{ }} mapped)");
            w.Line("throw mapped;");
            w.Close();
        }
        w.Open("finally");
        w.Line("await _session.ReleaseAsync(connection).ConfigureAwait(false);");
        w.Close();    w.Close(); // the method
    }

    private const string Ct = "CancellationToken cancellationToken = default";

    private void EmitInsert()
    {
        var w = _w;
        w.Line($"/// <summary>Validates and inserts <paramref name=\"entity\"/>; returns it with generated keys{(_returning.Count > 0 ? " and database defaults" : "")} filled in.</summary>");
        w.Line("/// <exception cref=\"DbOpsValidationException\">A schema rule failed; nothing was sent.</exception>");
        w.Line("/// <exception cref=\"DbOpsUniqueViolationException\">A unique key already exists.</exception>");
        w.Line("/// <exception cref=\"DbOpsForeignKeyViolationException\">A referenced row does not exist.</exception>");
        w.Open($"public async Task<{_e.Name}> InsertAsync({_e.Name} entity, {Ct})");
        w.Line("PrepareInsert(entity);");
        OpenConnection();
        w.Line("using var command = _session.CreateCommand(connection, InsertSql);");
        AddParams(_insertCols, c => "entity." + c.Name, applyDefault: true);
        if (_returning.Count == 0)
        {
            w.Line("await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);");
        }
        else
        {
            w.Line("using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);");
            w.Open("if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))");
            for (var i = 0; i < _returning.Count; i++)
                w.Line($"entity.{_returning[i].Name} = {_d.Read(_returning[i].Type, _returning[i].Nullable, "reader", i)};");
            w.Close();
        }
        w.Line("return entity;");
        CloseConnection("Write");
        w.Line();
    }

    private void EmitInsertMany(bool async)
    {
        var w = _w;
        var source = async ? $"IAsyncEnumerable<{_e.Name}>" : $"IEnumerable<{_e.Name}>";
        var loop = async
            ? "await foreach (var entity in entities.WithCancellation(cancellationToken).ConfigureAwait(false))"
            : "foreach (var entity in entities)";
        var how = _d.Provider switch
        {
            DbProvider.PostgreSql => "with binary COPY",
            DbProvider.SqlServer => "with SqlBulkCopy",
            _ => "with one prepared INSERT reused inside one transaction",
        };
        w.Line($"/// <summary>Validates and bulk-inserts <paramref name=\"entities\"/> {how}, streaming them without buffering; returns the number of rows.");
        w.Line("/// Generated keys and database defaults are not read back. Runs in one transaction (the current one inside InTransactionAsync).</summary>");
        w.Open($"public async Task<long> InsertManyAsync({source} entities, {Ct})");
        w.Line("ArgumentNullException.ThrowIfNull(entities);");
        switch (_d.Provider)
        {
            case DbProvider.Sqlite:
                OpenConnection();
                w.Line("var (transaction, owned) = await _session.BeginIfNeededAsync(connection, cancellationToken).ConfigureAwait(false);");
                w.Open("try");
                w.Line("using var command = connection.CreateCommand();");
                w.Line("command.CommandText = InsertManySql;");
                w.Line("command.Transaction = transaction;");
                for (var i = 0; i < _insertCols.Count; i++)
                {
                    w.Line($"var p{i} = {_d.NewSqliteParameter(_insertCols[i].Type, i)};");
                    w.Line($"command.Parameters.Add(p{i});");
                }
                w.Line("command.Prepare();");
                w.Line("long count = 0;");
                w.Open(loop);
                w.Line("cancellationToken.ThrowIfCancellationRequested();");
                w.Line("PrepareInsert(entity);");
                for (var i = 0; i < _insertCols.Count; i++)
                {
                    var c = _insertCols[i];
                    var value = _d.ObjectValue(c.Type, c.Nullable, "entity." + c.Name);
                    if (HasDefaultSql(c)) value = $"{UnsetTest(c, "entity." + c.Name)} ? DBNull.Value : {value}";
                    w.Line($"p{i}.Value = {value};");
                }
                w.Line("count += command.ExecuteNonQuery();");
                w.Close();
                w.Line("if (owned) await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);");
                w.Line("return count;");
                w.Close();
                w.Open("finally");
                w.Line("if (owned) await transaction.DisposeAsync().ConfigureAwait(false);");
                w.Close();
                CloseConnection("Write");
                break;
            case DbProvider.PostgreSql:
                OpenConnection();
                w.Line("var npgsql = (NpgsqlConnection)connection;");
                w.Line("long count = 0;");
                if (NeedsStaging)
                {
                    w.Line("var (transaction, owned) = await _session.BeginIfNeededAsync(connection, cancellationToken).ConfigureAwait(false);");
                    w.Open("try");
                    w.Open("using (var create = _session.CreateCommand(connection, StageCreateSql))");
                    w.Line("create.Transaction = transaction;");
                    w.Line("await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);");
                    w.Close();
                }
                w.Open("await using (var importer = await npgsql.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false))");
                w.Open(loop);
                w.Line("cancellationToken.ThrowIfCancellationRequested();");
                w.Line("PrepareInsert(entity);");
                w.Line("await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);");
                foreach (var c in _insertCols)
                {
                    var write = _d.PgCopyWrite(c.Type, c.Nullable, "entity." + c.Name, "importer");
                    if (HasDefaultSql(c) && !c.Nullable)
                        write = $"if ({UnsetTest(c, "entity." + c.Name)}) await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false); else {write}";
                    w.Line(write);
                }
                w.Line("count++;");
                w.Close();
                w.Line("await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);");
                w.Close();
                if (NeedsStaging)
                {
                    w.Open("using (var insert = _session.CreateCommand(connection, StageInsertSql))");
                    w.Line("insert.Transaction = transaction;");
                    w.Line("await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);");
                    w.Close();
                    w.Line("if (owned) await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);");
                    w.Close();
                    w.Open("finally");
                    w.Line("if (owned) await transaction.DisposeAsync().ConfigureAwait(false);");
                    w.Close();
                }
                w.Line("return count;");
                CloseConnection("Write");
                break;
            default:
                OpenConnection();
                w.Line("var transaction = (SqlTransaction?)_session.Transaction;");
                w.Line("var options = SqlBulkCopyOptions.CheckConstraints | SqlBulkCopyOptions.FireTriggers | (transaction is null ? SqlBulkCopyOptions.UseInternalTransaction : SqlBulkCopyOptions.Default);");
                w.Line($"using var bulk = new SqlBulkCopy((SqlConnection)connection, options, transaction) {{ DestinationTableName = {Cs.String(_table)}, EnableStreaming = true, BulkCopyTimeout = 0 }};");
                w.Line("foreach (var column in BulkColumns) bulk.ColumnMappings.Add(column, column);");
                var getValue = new List<string>();
                for (var i = 0; i < _insertCols.Count; i++)
                {
                    var c = _insertCols[i];
                    var value = _d.ObjectValue(c.Type, c.Nullable, "e." + c.Name);
                    if (HasDefaultSql(c)) value = $"{UnsetTest(c, "e." + c.Name)} ? DBNull.Value : {value}";
                    getValue.Add($"{i} => {value},");
                }
                w.Line($"await using var reader = new DbOpsBulkReader<{_e.Name}>(entities, BulkColumns, static (e, i) => i switch");
                w.Line("{");
                w.Indent();
                foreach (var g in getValue) w.Line(g);
                w.Line("_ => throw new ArgumentOutOfRangeException(nameof(i)),");
                w.Outdent();
                w.Line("}, PrepareInsert, cancellationToken);");
                w.Line("await bulk.WriteToServerAsync(reader, cancellationToken).ConfigureAwait(false);");
                w.Line("return reader.RowCount;");
                CloseConnection("Write");
                break;
        }
        w.Line();
    }

    private string KeyParams => string.Join(", ", _keys.Select(k => $"{Cs.ClrType(k.Type)} {Cs.Param(k.Name)}"));

    private void AddKeyParams(IReadOnlyList<ColumnModel> cols, int first)
    {
        for (var i = 0; i < cols.Count; i++)
            _w.Line($"command.Parameters.Add({_d.NewParameter(cols[i].Type, false, Cs.Param(cols[i].Name), first + i)});");
    }

    private void EmitGet()
    {
        var w = _w;
        w.Line($"/// <summary>The {_e.Name} with the given primary key, or null.</summary>");
        w.Open($"public async Task<{_e.Name}?> GetAsync({KeyParams}, {Ct})");
        OpenConnection();
        w.Line("using var command = _session.CreateCommand(connection, GetSql);");
        AddKeyParams(_keys, 0);
        EmitReadSingle();
        CloseConnection(null);
        w.Line();
    }

    private void EmitReadSingle()
    {
        _w.Line("using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);");
        _w.Line("return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;");
    }

    private void EmitReadList()
    {
        _w.Line("using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);");
        _w.Line($"var list = new List<{_e.Name}>();");
        _w.Line("while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(Read(reader));");
        _w.Line("return list;");
    }

    private void EmitFind(List<ColumnModel> cols, bool single)
    {
        var w = _w;
        var name = (single ? "GetBy" : "ListBy") + JoinNames(cols);
        var ps = string.Join(", ", cols.Select(c => $"{Cs.ClrType(c.Type)} {Cs.Param(c.Name)}"));
        var what = string.Join(", ", cols.Select(c => c.Name));
        if (single) w.Line($"/// <summary>The {_e.Name} with the given {what} (unique), or null.</summary>");
        else w.Line($"/// <summary>Every {_e.Name} with the given {what}, ordered by primary key.</summary>");
        var ret = single ? $"{_e.Name}?" : $"IReadOnlyList<{_e.Name}>";
        w.Open($"public async Task<{ret}> {name}Async({ps}, {Ct})");
        OpenConnection();
        w.Line($"using var command = _session.CreateCommand(connection, {name}Sql);");
        AddKeyParams(cols, 0);
        if (single) EmitReadSingle(); else EmitReadList();
        CloseConnection(null);
        w.Line();
    }

    private void EmitList(bool after)
    {
        var w = _w;
        if (after)
        {
            w.Line($"/// <summary>Keyset paging: the next page of at most <paramref name=\"limit\"/> rows ordered by primary key, after the row with the given key");
            w.Line("/// (pass the last row of the previous page; start with ListAsync(limit)).</summary>");
            w.Open($"public async Task<IReadOnlyList<{_e.Name}>> ListAfterAsync({KeyParams}, int limit, {Ct})");
        }
        else
        {
            w.Line($"/// <summary>Keyset paging: the first page of at most <paramref name=\"limit\"/> rows ordered by primary key; continue with ListAfterAsync.</summary>");
            w.Open($"public async Task<IReadOnlyList<{_e.Name}>> ListAsync(int limit = 100, {Ct})");
        }
        w.Line("ArgumentOutOfRangeException.ThrowIfNegative(limit);");
        OpenConnection();
        w.Line($"using var command = _session.CreateCommand(connection, {(after ? "ListAfterSql" : "ListSql")});");
        if (after) AddKeyParams(_keys, 0);
        var limitType = new DbType(_d.IsSqlServer ? DbTypeKind.Int32 : DbTypeKind.Int64);
        w.Line($"command.Parameters.Add({_d.NewParameter(limitType, false, _d.IsSqlServer ? "limit" : "(long)limit", after ? _keys.Count : 0)});");
        EmitReadList();
        CloseConnection(null);
        w.Line();
    }

    private void EmitUpdate()
    {
        var w = _w;
        w.Line("/// <summary>Validates and updates every non-key column of the row with <paramref name=\"entity\"/>'s key; false when no such row exists.</summary>");
        w.Open($"public async Task<bool> UpdateAsync({_e.Name} entity, {Ct})");
        w.Line("ArgumentNullException.ThrowIfNull(entity);");
        w.Line("Validate(entity);");
        OpenConnection();
        w.Line("using var command = _session.CreateCommand(connection, UpdateSql);");
        AddParams(_setCols, c => "entity." + c.Name);
        AddParams(_keys, c => "entity." + c.Name, first: _setCols.Count);
        w.Line("return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;");
        CloseConnection("Write");
        w.Line();
    }

    private void EmitUpsert()
    {
        var w = _w;
        var how = _d.IsSqlServer ? "MERGE" : "INSERT ... ON CONFLICT (primary key) DO UPDATE";
        w.Line($"/// <summary>Validates and inserts <paramref name=\"entity\"/>, or updates the row with its primary key ({how}).");
        var identity = _keys.FirstOrDefault(k => k.Identity);
        if (identity is not null)
            w.Line($"/// An unset identity key ({identity.Name} == 0) is a plain insert (the key is filled in).");
        w.Line("/// </summary>");
        w.Open($"public async Task UpsertAsync({_e.Name} entity, {Ct})");
        if (identity is not null)
        {
            w.Open($"if (entity?.{identity.Name} == 0)");
            w.Line("await InsertAsync(entity, cancellationToken).ConfigureAwait(false);");
            w.Line("return;");
            w.Close();
        }
        w.Line("PrepareInsert(entity!);");
        OpenConnection();
        w.Line("using var command = _session.CreateCommand(connection, UpsertSql);");
        AddParams(UpsertCols, c => "entity!." + c.Name, applyDefault: true);
        w.Line("await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);");
        if (_d.IsPostgres && identity is not null)
        {
            w.Open("using (var sync = _session.CreateCommand(connection, IdentitySyncSql))");
            w.Line($"sync.Parameters.Add({_d.NewParameter(new DbType(DbTypeKind.Int64), false, $"(long)entity!.{identity.Name}", 0)});");
            w.Line("await sync.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);");
            w.Close();
        }
        CloseConnection("Write");
        w.Line();
    }

    private void EmitDelete()
    {
        var w = _w;
        w.Line($"/// <summary>Deletes the {_e.Name} with the given primary key; false when no such row exists.</summary>");
        w.Line("/// <exception cref=\"DbOpsForeignKeyViolationException\">Other rows still reference it.</exception>");
        w.Open($"public async Task<bool> DeleteAsync({KeyParams}, {Ct})");
        OpenConnection();
        w.Line("using var command = _session.CreateCommand(connection, DeleteSql);");
        AddKeyParams(_keys, 0);
        w.Line("return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;");
        CloseConnection("Delete");
        w.Line();
    }

    private void EmitCount()
    {
        var w = _w;
        w.Line($"/// <summary>The number of rows in {_e.Table}.</summary>");
        w.Open($"public async Task<long> CountAsync({Ct})");
        OpenConnection();
        w.Line("using var command = _session.CreateCommand(connection, CountSql);");
        w.Line("using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);");
        w.Line("return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(0) : 0L;");
        CloseConnection(null);
    }
}
