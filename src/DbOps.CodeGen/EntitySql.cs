using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>
/// The SQL text of one entity's repository, and the column sets it is built from (inserted, returned, updated, keys).
/// Every statement the repository runs is a constant written from here.
/// </summary>
internal sealed partial class EntitySql
{
    private readonly EntityModel _e;
    private readonly Dialect _d;
    private readonly List<ColumnModel> _cols;
    private readonly List<ColumnModel> _keys;
    private readonly List<ColumnModel> _insertCols;
    private readonly List<ColumnModel> _returning;
    private readonly List<ColumnModel> _setCols;
    private readonly string _table;

    public EntitySql(EntityModel entity, Dialect dialect)
    {
        _e = entity;
        _d = dialect;
        _cols = [.. entity.Columns];
        _keys = [.. entity.KeyColumns];
        _insertCols = [.. _cols.Where(c => !c.Identity)];
        _returning = [.. _cols.Where(c => c.Identity || (c.DefaultSql is not null))];
        _setCols = [.. _cols.Where(c => !entity.PrimaryKey.Contains(c.Name) && !c.Identity)];
        _table = dialect.Quote(entity.Table);
    }

    /// <summary>Every column, in table order (the order of SELECT lists and of Read).</summary>
    public IReadOnlyList<ColumnModel> Columns => _cols;
    /// <summary>The primary key columns, in key order.</summary>
    public IReadOnlyList<ColumnModel> Keys => _keys;
    /// <summary>Columns an INSERT writes (all but identity).</summary>
    public IReadOnlyList<ColumnModel> InsertColumns => _insertCols;
    /// <summary>Columns an INSERT reads back (identity and database defaults).</summary>
    public IReadOnlyList<ColumnModel> Returning => _returning;
    /// <summary>Columns an UPDATE sets (all but key and identity).</summary>
    public IReadOnlyList<ColumnModel> SetColumns => _setCols;
    /// <summary>The quoted table name.</summary>
    public string Table => _table;
    /// <summary>The identity primary key column, if any.</summary>
    public ColumnModel? IdentityKey => _keys.FirstOrDefault(k => k.Identity);

    private string Q(ColumnModel c) => _d.Quote(c.ColumnName);
    private string SelectList => string.Join(", ", _cols.Select(Q));
    private string OrderBy => string.Join(", ", _keys.Select(Q));

    /// <summary>A database default that applies when the property is unset (not identity).</summary>
    public static bool HasDefaultSql(ColumnModel c) => c.DefaultSql is not null && !c.Identity;

    /// <summary>When true at run time the column is "unset" and the database default applies (EF Core's convention: the CLR default).</summary>
    public static string UnsetTest(ColumnModel c, string expr)
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

    /// <summary>PostgreSQL: moves the identity sequence past an explicitly inserted key (null without an identity key).</summary>
    public string? IdentitySyncSql
    {
        get
        {
            if (!_d.IsPostgres || IdentityKey is not { } identity) return null;
            // An explicit key inserted into an identity column does not advance its sequence on PostgreSQL (SQLite's
            // AUTOINCREMENT and SQL Server's IDENTITY do advance): move it forward, never back, or later inserts collide.
            static string Literal(string s) => "'" + s.Replace("'", "''") + "'";
            return $"SELECT setval(q.s, $1) FROM (SELECT pg_get_serial_sequence({Literal(_table)}, {Literal(identity.ColumnName)})::regclass AS s) q WHERE $1 > COALESCE(pg_sequence_last_value(q.s), 0)";
        }
    }

    public string InsertSql(bool returning)
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

    public string GetSql => $"SELECT {SelectList} FROM {_table} WHERE {KeyWhere(0)}";
    public string UpdateSql => $"UPDATE {_table} SET {string.Join(", ", _setCols.Select((c, i) => $"{Q(c)} = {_d.Placeholder(i)}"))} WHERE {KeyWhere(_setCols.Count)}";
    public string DeleteSql => $"DELETE FROM {_table} WHERE {KeyWhere(0)}";
    public string CountSql => _d.IsSqlServer ? $"SELECT COUNT_BIG(*) FROM {_table}" : $"SELECT COUNT(*) FROM {_table}";

    /// <summary>Columns written by upsert: every column (explicit keys too), in column order.</summary>
    public List<ColumnModel> UpsertCols => [.. _cols.Where(c => !c.Identity || _e.PrimaryKey.Contains(c.Name))];

    public string UpsertSql
    {
        get
        {
            var cols = UpsertCols;
            var values = cols.Select((c, i) => HasDefaultSql(c) ? $"COALESCE({_d.Placeholder(i)}, {c.DefaultSql})" : _d.Placeholder(i)).ToList();
            return _d.IsSqlServer
                ? SqlServerMerge($"(VALUES ({string.Join(", ", values)})) AS source ({string.Join(", ", cols.Select(Q))})")
                : $"INSERT INTO {_table} ({string.Join(", ", cols.Select(Q))}) VALUES ({string.Join(", ", values)}) {OnConflict}";
        }
    }

    /// <summary>The upsert's conflict clause (SQLite, PostgreSQL): update every non-key upsert column, or nothing.</summary>
    private string OnConflict
    {
        get
        {
            var updates = UpsertCols.Where(c => !_e.PrimaryKey.Contains(c.Name)).ToList();
            return $"ON CONFLICT ({OrderBy}) DO " + (updates.Count == 0
                ? "NOTHING"
                : "UPDATE SET " + string.Join(", ", updates.Select(c => $"{Q(c)} = excluded.{Q(c)}")));
        }
    }

    /// <summary>
    /// SQL Server's upsert: a MERGE of the rows in <paramref name="source"/> (<c>... AS source</c>, one column per upsert
    /// column), with IDENTITY_INSERT around it when the key is an identity (an upsert writes explicit keys).
    /// </summary>
    private string SqlServerMerge(string source)
    {
        var cols = UpsertCols;
        var updates = cols.Where(c => !_e.PrimaryKey.Contains(c.Name)).ToList();
        var on = string.Join(" AND ", _keys.Select(k => $"target.{Q(k)} = source.{Q(k)}"));
        var merge = $"MERGE INTO {_table} WITH (HOLDLOCK) AS target USING {source} ON {on}"
            + (updates.Count == 0 ? "" : $" WHEN MATCHED THEN UPDATE SET {string.Join(", ", updates.Select(c => $"target.{Q(c)} = source.{Q(c)}"))}")
            + $" WHEN NOT MATCHED THEN INSERT ({string.Join(", ", cols.Select(Q))}) VALUES ({string.Join(", ", cols.Select(c => "source." + Q(c)))});";
        return _keys.Any(k => k.Identity)
            ? $"SET IDENTITY_INSERT {_table} ON; {merge} SET IDENTITY_INSERT {_table} OFF;"
            : merge;
    }

    public string ListSql(bool after)
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

    public string FindSql(IReadOnlyList<ColumnModel> cols) =>
        $"SELECT {SelectList} FROM {_table} WHERE {string.Join(" AND ", cols.Select((c, i) => $"{Q(c)} = {_d.Placeholder(i)}"))} ORDER BY {OrderBy}";

    public bool NeedsStaging => _insertCols.Any(HasDefaultSql);
    private string StageTable => _d.Quote("dbops_stage_" + _e.Table);

    /// <summary>PostgreSQL bulk insert: CopySql, and StageCreateSql/StageInsertSql when a database default needs a staging table.</summary>
    public IEnumerable<(string Name, string Sql)> CopySql()
    {
        var cols = string.Join(", ", _insertCols.Select(Q));
        if (!NeedsStaging)
        {
            yield return ("CopySql", $"COPY {_table} ({cols}) FROM STDIN (FORMAT BINARY)");
            yield break;
        }
        // COPY cannot apply a database default per row: stage into a temp table, then INSERT ... SELECT with COALESCE.
        yield return ("StageCreateSql", $"CREATE TEMP TABLE {StageTable} ON COMMIT DROP AS SELECT {cols} FROM {_table} WITH NO DATA");
        yield return ("CopySql", $"COPY {StageTable} ({cols}) FROM STDIN (FORMAT BINARY)");
        var select = string.Join(", ", _insertCols.Select(c => HasDefaultSql(c) ? $"COALESCE({Q(c)}, {c.DefaultSql})" : Q(c)));
        yield return ("StageInsertSql", $"INSERT INTO {_table} ({cols}) SELECT {select} FROM {StageTable}; DROP TABLE {StageTable}");
    }

    /// <summary>Column lists with a GetBy (unique, unfiltered) and with a ListBy (index prefixes and foreign keys).</summary>
    public (List<List<ColumnModel>> Unique, List<List<ColumnModel>> Lists) Finders()
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

    public static string JoinNames(IEnumerable<ColumnModel> cols) => string.Join("And", cols.Select(c => c.Name));

}
