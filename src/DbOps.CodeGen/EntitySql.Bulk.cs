using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>The SQL of the bulk writes (PostgreSQL and SQL Server: statements over the staged rows) and of the batch lookups.</summary>
internal sealed partial class EntitySql
{
    /// <summary>The staging table: DbOps.Runtime's <c>DbOpsBulk.StageTable</c> (the runtime creates it; a test checks they agree).</summary>
    public const string Stage = "dbops_bulk_stage";

    /// <summary>SQL Server's stage is a session temporary table: DbOps.Runtime's <c>DbOpsSqlServerServices.StageTable</c>.</summary>
    public const string SqlServerStage = "#" + Stage;

    private string StageJoin => string.Join(" AND ", _keys.Select(k => $"t.{Q(k)} = s.{Q(k)}"));

    /// <summary>One UPDATE joined to the staged rows.</summary>
    public string StagedUpdateSql => _d.IsSqlServer
        ? $"UPDATE t SET {string.Join(", ", _setCols.Select(c => $"t.{Q(c)} = s.{Q(c)}"))} FROM {_table} AS t INNER JOIN {SqlServerStage} AS s ON {StageJoin}"
        : $"UPDATE {_table} AS t SET {string.Join(", ", _setCols.Select(c => $"{Q(c)} = s.{Q(c)}"))} FROM {Stage} AS s WHERE {StageJoin}";

    /// <summary>One DELETE joined to the staged keys.</summary>
    public string StagedDeleteSql => _d.IsSqlServer
        ? $"DELETE t FROM {_table} AS t INNER JOIN {SqlServerStage} AS s ON {StageJoin}"
        : $"DELETE FROM {_table} AS t USING {Stage} AS s WHERE {StageJoin}";

    /// <summary>One INSERT ... SELECT ... ON CONFLICT (SQL Server: MERGE) from the staged rows (database defaults for unset values, as in UpsertSql).</summary>
    public string StagedUpsertSql
    {
        get
        {
            var cols = UpsertCols;
            // SQL Server: UpsertSql's MERGE over the staged rows (a key twice in the stage is its error 8672).
            if (_d.IsSqlServer)
                return SqlServerMerge($"(SELECT {string.Join(", ", cols.Select(c => HasDefaultSql(c) ? $"COALESCE(s.{Q(c)}, {c.DefaultSql}) AS {Q(c)}" : "s." + Q(c)))} " +
                                      $"FROM {SqlServerStage} AS s) AS source");
            var select = string.Join(", ", cols.Select(c => HasDefaultSql(c) ? $"COALESCE(s.{Q(c)}, {c.DefaultSql})" : "s." + Q(c)));
            return $"INSERT INTO {_table} ({string.Join(", ", cols.Select(Q))}) SELECT {select} FROM {Stage} AS s WHERE true {OnConflict}";
        }
    }

    /// <summary>After a staged upsert with explicit identity keys: move the sequence past the largest (never back).</summary>
    public string? StagedIdentitySyncSql
    {
        get
        {
            if (IdentityKey is not { } identity || !_d.IsPostgres) return null;
            static string Literal(string s) => "'" + s.Replace("'", "''") + "'";
            return $"SELECT setval(q.s, q.m) FROM (SELECT pg_get_serial_sequence({Literal(_table)}, {Literal(identity.ColumnName)})::regclass AS s, " +
                   $"(SELECT max({Q(identity)}) FROM {Stage}) AS m) q WHERE q.m > COALESCE(pg_sequence_last_value(q.s), 0)";
        }
    }

    /// <summary>The batch lookups' statement up to its WHERE clause (the runtime appends the key matches and the ORDER BY).</summary>
    public string LookupPrefix => $"SELECT {SelectList} FROM {_table} WHERE ";

    /// <summary>The quoted names of <paramref name="cols"/>.</summary>
    public IEnumerable<string> Quoted(IEnumerable<ColumnModel> cols) => cols.Select(Q);

    /// <summary>The primary key ORDER BY list.</summary>
    public string KeyOrder => OrderBy;
}
