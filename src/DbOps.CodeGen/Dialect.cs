using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>Everything provider-specific the generator writes: quoting, placeholders, parameters, typed reads.</summary>
internal sealed class Dialect(DbProvider provider, string enumsClass)
{
    public DbProvider Provider => provider;
    public bool IsSqlite => provider == DbProvider.Sqlite;
    public bool IsPostgres => provider == DbProvider.PostgreSql;
    public bool IsSqlServer => provider == DbProvider.SqlServer;

    /// <summary>The provider package's services instance (data source, error mapping, retry rules).</summary>
    public string Services => provider switch
    {
        DbProvider.Sqlite => "DbOpsSqliteServices.Instance",
        DbProvider.PostgreSql => "DbOpsPostgreSqlServices.Instance",
        _ => "DbOpsSqlServerServices.Instance",
    };

    public string Quote(string identifier) => provider == DbProvider.SqlServer
        ? "[" + identifier.Replace("]", "]]") + "]"
        : "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>Placeholder of the n-th (0-based) generated parameter: $1 on PostgreSQL (positional, no rewriting), @pN elsewhere.</summary>
    public string Placeholder(int index) => provider == DbProvider.PostgreSql ? "$" + (index + 1) : "@p" + index;

    private string ParamName(int index) => "@p" + index;

    public IEnumerable<string> Usings => provider switch
    {
        DbProvider.Sqlite => ["Microsoft.Data.Sqlite"],
        DbProvider.PostgreSql => ["Npgsql", "NpgsqlTypes"],
        _ => ["Microsoft.Data.SqlClient"],
    };

    /// <summary>The provider value of non-null <paramref name="v"/> (CLR type of <paramref name="t"/>).</summary>
    public string Convert(DbType t, string v) => provider switch
    {
        DbProvider.Sqlite => t.Kind switch
        {
            DbTypeKind.Decimal => $"SqliteValues.Decimal({v})",
            DbTypeKind.Guid => $"SqliteValues.Guid({v})",
            DbTypeKind.Date => $"SqliteValues.Date({v})",
            DbTypeKind.Time => $"SqliteValues.Time({v})",
            DbTypeKind.DateTime => $"SqliteValues.DateTime({v})",
            DbTypeKind.DateTimeOffset => $"SqliteValues.DateTimeOffset({v})",
            DbTypeKind.Bool => $"SqliteValues.Bool({v})",
            DbTypeKind.Enum => $"{enumsClass}.ToText({v})",
            _ => v,
        },
        DbProvider.PostgreSql => t.Kind switch
        {
            // Npgsql 6+: timestamptz takes UTC only; timestamp takes Unspecified/Local only. DbOps stores the instant
            // (timestamptz) and the wall clock (timestamp) respectively.
            DbTypeKind.DateTimeOffset => $"{v}.ToUniversalTime()",
            DbTypeKind.DateTime => $"DateTime.SpecifyKind({v}, DateTimeKind.Unspecified)",
            DbTypeKind.Enum => $"{enumsClass}.ToText({v})",
            _ => v,
        },
        _ => t.Kind switch
        {
            DbTypeKind.Date => $"{v}.ToDateTime(TimeOnly.MinValue)",
            DbTypeKind.Time => $"{v}.ToTimeSpan()",
            DbTypeKind.Enum => $"{enumsClass}.ToText({v})",
            _ => v,
        },
    };

    /// <summary>An <c>object</c> expression for a possibly null value: the provider value or DBNull.Value.</summary>
    public string ObjectValue(DbType t, bool nullable, string expr)
    {
        if (!nullable) return Cs.IsReference(t) ? $"(object?){expr} ?? DBNull.Value" : $"(object){Convert(t, expr)}";
        if (Cs.IsReference(t)) return $"(object?){expr} ?? DBNull.Value";
        return $"{expr}.HasValue ? (object){Convert(t, expr + ".Value")} : DBNull.Value";
    }

    private string PgDbType(DbType t) => "NpgsqlDbType." + t.Kind switch
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

    public string SqliteTypeName(DbType t) => SqliteType(t);

    private static string SqliteType(DbType t) => "SqliteType." + t.Kind switch
    {
        DbTypeKind.Bool or DbTypeKind.Int16 or DbTypeKind.Int32 or DbTypeKind.Int64 => "Integer",
        DbTypeKind.Float32 or DbTypeKind.Float64 => "Real",
        DbTypeKind.Binary => "Blob",
        _ => "Text",
    };

    private static string SqlServerType(DbType t) => t.Kind switch
    {
        DbTypeKind.Bool => "SqlDbType.Bit",
        DbTypeKind.Int16 => "SqlDbType.SmallInt",
        DbTypeKind.Int32 => "SqlDbType.Int",
        DbTypeKind.Int64 => "SqlDbType.BigInt",
        DbTypeKind.Float32 => "SqlDbType.Real",
        DbTypeKind.Float64 => "SqlDbType.Float",
        DbTypeKind.Decimal => "SqlDbType.Decimal",
        DbTypeKind.String => $"SqlDbType.NVarChar, {t.Length ?? -1}",
        DbTypeKind.Json or DbTypeKind.Enum => "SqlDbType.NVarChar, -1",
        DbTypeKind.Binary => $"SqlDbType.VarBinary, {t.Length ?? -1}",
        DbTypeKind.Guid => "SqlDbType.UniqueIdentifier",
        DbTypeKind.Date => "SqlDbType.Date",
        DbTypeKind.Time => "SqlDbType.Time",
        DbTypeKind.DateTime => "SqlDbType.DateTime2",
        DbTypeKind.DateTimeOffset => "SqlDbType.DateTimeOffset",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>
    /// An expression creating a parameter holding <paramref name="expr"/>. <paramref name="name"/> null = the n-th
    /// generated parameter (positional on PostgreSQL, @pN elsewhere); otherwise a named query parameter.
    /// <paramref name="nullValue"/> forces DBNull when true at run time (database defaults on insert).
    /// </summary>
    public string NewParameter(DbType t, bool nullable, string expr, int index, string? name = null, string? nullWhen = null)
    {
        var paramName = name is null ? ParamName(index) : "@" + name;
        if (provider == DbProvider.PostgreSql)
        {
            var pgName = name is null ? "" : $"ParameterName = {Cs.String(name)}, ";
            if (!nullable && nullWhen is null)
                return $"new NpgsqlParameter<{PgClr(t)}> {{ {pgName}NpgsqlDbType = {PgDbType(t)}, TypedValue = {Convert(t, expr)} }}";
            var value = nullWhen is null ? ObjectValue(t, nullable, expr) : $"{nullWhen} ? DBNull.Value : {ObjectValue(t, nullable, expr)}";
            return $"new NpgsqlParameter {{ {pgName}NpgsqlDbType = {PgDbType(t)}, Value = {value} }}";
        }
        var objectValue = nullWhen is null ? ObjectValue(t, nullable, expr) : $"{nullWhen} ? DBNull.Value : {ObjectValue(t, nullable, expr)}";
        if (provider == DbProvider.Sqlite)
            return $"new SqliteParameter({Cs.String(paramName)}, {SqliteType(t)}) {{ Value = {objectValue} }}";
        var extra = t.Kind == DbTypeKind.Decimal
            ? $"Precision = {t.Precision ?? 18}, Scale = {t.Scale ?? (t.Precision is null ? 6 : 0)}, "
            : "";
        return $"new SqlParameter({Cs.String(paramName)}, {SqlServerType(t)}) {{ {extra}Value = {objectValue} }}";
    }


    /// <summary>The typed read of column <paramref name="ordinal"/> of reader <paramref name="r"/>.</summary>
    public string Read(DbType t, bool nullable, string r, int ordinal)
    {
        var get = t.Kind switch
        {
            DbTypeKind.Bool => $"{r}.GetBoolean({ordinal})",
            DbTypeKind.Int16 => $"{r}.GetInt16({ordinal})",
            DbTypeKind.Int32 => $"{r}.GetInt32({ordinal})",
            DbTypeKind.Int64 => $"{r}.GetInt64({ordinal})",
            DbTypeKind.Float32 => $"{r}.GetFloat({ordinal})",
            DbTypeKind.Float64 => $"{r}.GetDouble({ordinal})",
            DbTypeKind.Decimal => $"{r}.GetDecimal({ordinal})",
            DbTypeKind.String or DbTypeKind.Json => $"{r}.GetString({ordinal})",
            DbTypeKind.Binary => $"{r}.GetFieldValue<byte[]>({ordinal})",
            DbTypeKind.Guid => $"{r}.GetGuid({ordinal})",
            DbTypeKind.Date => provider == DbProvider.SqlServer
                ? $"DateOnly.FromDateTime({r}.GetDateTime({ordinal}))" : $"{r}.GetFieldValue<DateOnly>({ordinal})",
            DbTypeKind.Time => provider == DbProvider.SqlServer
                ? $"TimeOnly.FromTimeSpan({r}.GetFieldValue<TimeSpan>({ordinal}))" : $"{r}.GetFieldValue<TimeOnly>({ordinal})",
            DbTypeKind.DateTime => $"{r}.GetDateTime({ordinal})",
            DbTypeKind.DateTimeOffset => $"{r}.GetFieldValue<DateTimeOffset>({ordinal})",
            DbTypeKind.Enum => $"{enumsClass}.Parse{t.EnumName}({r}.GetString({ordinal}))",
            _ => throw new ArgumentOutOfRangeException(nameof(t)),
        };
        return nullable ? $"{r}.IsDBNull({ordinal}) ? null : {get}" : get;
    }

    /// <summary>A Task expression writing <paramref name="expr"/> (or NULL) to binary COPY importer <paramref name="importer"/>: no await, no state machine.</summary>
    public string PgCopyWrite(DbType t, bool nullable, string expr, string importer, string ct)
    {
        var write = $"{importer}.WriteAsync({Convert(t, nullable && !Cs.IsReference(t) ? expr + ".Value" : expr)}, {PgDbType(t)}, {ct})";
        if (!nullable) return write;
        var test = Cs.IsReference(t) ? $"{expr} is null" : $"!{expr}.HasValue";
        return $"{test} ? {importer}.WriteNullAsync({ct}) : {write}";
    }
}
