using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>Npgsql: typed NpgsqlParameter&lt;T&gt;, positional $N placeholders, binary COPY for bulk.</summary>
internal sealed class PostgreSqlDialect(string enumsClass) : Dialect(enumsClass)
{
    public override DbProvider Provider => DbProvider.PostgreSql;
    public override string Services => "DbOpsPostgreSqlServices.Instance";
    public override IEnumerable<string> Usings => ["Npgsql", "NpgsqlTypes"];

    public override string Placeholder(int index) => "$" + (index + 1);

    /// <summary>The PostgreSQL data type name a value of <paramref name="t"/> is written as (binary COPY of the bulk writes).</summary>
    public static string TypeName(DbType t) => t.Kind switch
    {
        DbTypeKind.Bool => "boolean",
        DbTypeKind.Int16 => "smallint",
        DbTypeKind.Int32 => "integer",
        DbTypeKind.Int64 => "bigint",
        DbTypeKind.Float32 => "real",
        DbTypeKind.Float64 => "double precision",
        DbTypeKind.Decimal => "numeric",
        DbTypeKind.String or DbTypeKind.Enum => "text",
        DbTypeKind.Json => "jsonb",
        DbTypeKind.Binary => "bytea",
        DbTypeKind.Guid => "uuid",
        DbTypeKind.Date => "date",
        DbTypeKind.Time => "time without time zone",
        DbTypeKind.DateTime => "timestamp without time zone",
        DbTypeKind.DateTimeOffset => "timestamp with time zone",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    // Npgsql 6+: timestamptz takes UTC only; timestamp takes Unspecified/Local only. DbOps stores the instant
    // (timestamptz) and the wall clock (timestamp) respectively.
    protected override string ConvertValue(DbType t, string v) => t.Kind switch
    {
        DbTypeKind.DateTimeOffset => $"{v}.ToUniversalTime()",
        DbTypeKind.DateTime => $"DateTime.SpecifyKind({v}, DateTimeKind.Unspecified)",
        _ => v,
    };

    private static string PgDbType(DbType t) => "NpgsqlDbType." + t.Kind switch
    {
        DbTypeKind.Bool => "Boolean",
        DbTypeKind.Int16 => "Smallint",
        DbTypeKind.Int32 => "Integer",
        DbTypeKind.Int64 => "Bigint",
        DbTypeKind.Float32 => "Real",
        DbTypeKind.Float64 => "Double",
        DbTypeKind.Decimal => "Numeric",
        DbTypeKind.String or DbTypeKind.Enum => "Text",
        DbTypeKind.Json => "Jsonb",
        DbTypeKind.Binary => "Bytea",
        DbTypeKind.Guid => "Uuid",
        DbTypeKind.Date => "Date",
        DbTypeKind.Time => "Time",
        DbTypeKind.DateTime => "Timestamp",
        DbTypeKind.DateTimeOffset => "TimestampTz",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    private static string PgClr(DbType t) => t.Kind == DbTypeKind.Enum ? "string" : Cs.ClrType(t);

    public override string NewParameter(DbType t, bool nullable, string expr, int index, string? name = null, string? nullWhen = null)
    {
        var pgName = string.IsNullOrEmpty(name) ? "" : $"ParameterName = {Cs.String(name)}, ";
        var typed = $"new NpgsqlParameter<{PgClr(t)}> {{ {pgName}NpgsqlDbType = {PgDbType(t)}, TypedValue = {Convert(t, expr)} }}";
        if (!nullable && nullWhen is null) return typed;
        // An unset database default: NULL, else the typed value (no boxing).
        if (!nullable) return $"{nullWhen} ? new NpgsqlParameter {{ {pgName}NpgsqlDbType = {PgDbType(t)}, Value = DBNull.Value }} : {typed}";
        return $"new NpgsqlParameter {{ {pgName}NpgsqlDbType = {PgDbType(t)}, Value = {ObjectValue(t, nullable, expr, nullWhen)} }}";
    }

    /// <summary>A Task expression writing <paramref name="expr"/> (or NULL) to binary COPY importer <c>w</c>: no await, no state machine.</summary>
    private string CopyWrite(DbType t, bool nullable, string expr)
    {
        var write = $"w.WriteAsync({Convert(t, nullable && !Cs.IsReference(t) ? expr + ".Value" : expr)}, {PgDbType(t)}, ct)";
        if (!nullable) return write;
        var test = Cs.IsReference(t) ? $"{expr} is null" : $"!{expr}.HasValue";
        return $"{test} ? w.WriteNullAsync(ct) : {write}";
    }

    public override void EmitBulkField(EntityModel entity, EntitySql sql, CodeWriter w, string values, string inserted)
    {
        w.Line($"private static readonly DbOpsPostgreSqlBulkInsert<{entity.Name}> Bulk = new(CopySql, {inserted}, Copy{(sql.NeedsStaging ? ", StageCreateSql, StageInsertSql" : "")});");
        w.Line();
        // One typed writer per table, column by index (table order): the bulk insert's COPY and the staged bulk update
        // and upsert use it, so no value is boxed. With insert, an unset database default is NULL (COALESCE applies it).
        w.Line("/// <summary>Writes column <paramref name=\"i\"/> (table order) of <paramref name=\"e\"/> to binary COPY, typed; with <paramref name=\"insert\"/>, an unset database default is NULL.</summary>");
        w.Line($"private static Task Copy(NpgsqlBinaryImporter w, {entity.Name} e, int i, bool insert, CancellationToken ct) => i switch");
        var arms = sql.Columns.Select((c, i) =>
        {
            var write = CopyWrite(c.Type, c.Nullable, "e." + c.Name);
            if (EntitySql.HasDefaultSql(c) && !c.Nullable) write = $"insert && {EntitySql.UnsetTest(c, "e." + c.Name)} ? w.WriteNullAsync(ct) : {write}";
            return $"{i} => {write},";
        });
        EmitSwitch(arms, w, ";");
    }
}
