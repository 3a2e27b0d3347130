using System.Globalization;
using DbOps.Schema.Model;

namespace DbOps.Sql;

/// <summary>
/// The CLR type and physical column type of every dbops type, per provider (SPEC §1 "Physical types").
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>PostgreSQL and SQL Server columns always get an explicit store type, spelled as in the SPEC
/// (<c>varchar(320)</c>, <c>numeric(12,2)</c>, <c>timestamptz</c>, <c>nvarchar(max)</c>, ...).</item>
/// <item>SQLite columns get no explicit store type: EF Core's SQLite type mapping decides
/// (INTEGER, REAL, TEXT, BLOB; decimal, Guid, dates and times as TEXT), so a database written by
/// EF Core and one written by DbOps read the same.</item>
/// <item>Enums are stored as the member name: <c>varchar(n)</c> / <c>nvarchar(n)</c> / TEXT, where
/// n = max(<see cref="MinEnumLength"/>, longest member). The floor keeps the column type (and so the
/// migration history) stable when members are added, while staying indexable on SQL Server.</item>
/// <item>A bare <c>decimal</c> (no precision) is <c>numeric</c> on PostgreSQL and <c>decimal(38,18)</c> on SQL Server.</item>
/// </list>
/// </remarks>
public static class StoreTypes
{
    /// <summary>Minimum length of an enum column (see remarks on <see cref="StoreTypes"/>).</summary>
    public const int MinEnumLength = 64;

    /// <summary>The CLR type a column of this dbops type is mapped to (enums: string, the member name).</summary>
    public static Type ClrType(DbType type) => type.Kind switch
    {
        DbTypeKind.Bool => typeof(bool),
        DbTypeKind.Int16 => typeof(short),
        DbTypeKind.Int32 => typeof(int),
        DbTypeKind.Int64 => typeof(long),
        DbTypeKind.Float32 => typeof(float),
        DbTypeKind.Float64 => typeof(double),
        DbTypeKind.Decimal => typeof(decimal),
        DbTypeKind.String or DbTypeKind.Json or DbTypeKind.Enum => typeof(string),
        DbTypeKind.Binary => typeof(byte[]),
        DbTypeKind.Guid => typeof(Guid),
        DbTypeKind.Date => typeof(DateOnly),
        DbTypeKind.Time => typeof(TimeOnly),
        DbTypeKind.DateTime => typeof(DateTime),
        DbTypeKind.DateTimeOffset => typeof(DateTimeOffset),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Kind, "Unknown dbops type kind."),
    };

    /// <summary>
    /// The length of the text column an enum is stored in: max(<see cref="MinEnumLength"/>, longest member).
    /// </summary>
    public static int EnumLength(EnumModel? enumModel) =>
        Math.Max(MinEnumLength, enumModel?.Members.Select(m => m.Length).DefaultIfEmpty(0).Max() ?? 0);

    /// <summary>
    /// The explicit store type for a column, or null where EF Core's provider convention decides (SQLite).
    /// </summary>
    public static string? ColumnType(DbType type, DbProvider provider, SchemaModel? schema = null)
    {
        var enumLength = type.Kind == DbTypeKind.Enum ? EnumLength(schema?.FindEnum(type.EnumName ?? "")) : 0;
        return provider switch
        {
            DbProvider.Sqlite => null,
            DbProvider.PostgreSql => type.Kind switch
            {
                DbTypeKind.Bool => "boolean",
                DbTypeKind.Int16 => "smallint",
                DbTypeKind.Int32 => "integer",
                DbTypeKind.Int64 => "bigint",
                DbTypeKind.Float32 => "real",
                DbTypeKind.Float64 => "double precision",
                DbTypeKind.Decimal => type.Precision is { } p ? $"numeric({I(p)},{I(type.Scale ?? 0)})" : "numeric",
                DbTypeKind.String => type.Length is { } n ? $"varchar({I(n)})" : "text",
                DbTypeKind.Enum => $"varchar({I(enumLength)})",
                DbTypeKind.Json => "jsonb",
                DbTypeKind.Binary => "bytea",
                DbTypeKind.Guid => "uuid",
                DbTypeKind.Date => "date",
                DbTypeKind.Time => "time",
                DbTypeKind.DateTime => "timestamp",
                DbTypeKind.DateTimeOffset => "timestamptz",
                _ => throw new ArgumentOutOfRangeException(nameof(type), type.Kind, "Unknown dbops type kind."),
            },
            DbProvider.SqlServer => type.Kind switch
            {
                DbTypeKind.Bool => "bit",
                DbTypeKind.Int16 => "smallint",
                DbTypeKind.Int32 => "int",
                DbTypeKind.Int64 => "bigint",
                DbTypeKind.Float32 => "real",
                DbTypeKind.Float64 => "float",
                DbTypeKind.Decimal => type.Precision is { } p ? $"decimal({I(p)},{I(type.Scale ?? 0)})" : "decimal(38,18)",
                DbTypeKind.String => type.Length is { } n ? $"nvarchar({I(n)})" : "nvarchar(max)",
                DbTypeKind.Enum => $"nvarchar({I(enumLength)})",
                DbTypeKind.Json => "nvarchar(max)",
                DbTypeKind.Binary => type.Length is { } n ? $"varbinary({I(n)})" : "varbinary(max)",
                DbTypeKind.Guid => "uniqueidentifier",
                DbTypeKind.Date => "date",
                DbTypeKind.Time => "time",
                DbTypeKind.DateTime => "datetime2",
                DbTypeKind.DateTimeOffset => "datetimeoffset",
                _ => throw new ArgumentOutOfRangeException(nameof(type), type.Kind, "Unknown dbops type kind."),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
        };
    }

    /// <summary>
    /// True when the physical column type itself enforces the declared length (so no length CHECK is needed):
    /// varchar(n)/nvarchar(n)/varbinary(n). False for SQLite (TEXT/BLOB) and PostgreSQL bytea.
    /// </summary>
    public static bool TypeEnforcesLength(DbType type, DbProvider provider) => type.Kind switch
    {
        DbTypeKind.String => provider != DbProvider.Sqlite,
        DbTypeKind.Binary => provider == DbProvider.SqlServer,
        _ => true,
    };

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
