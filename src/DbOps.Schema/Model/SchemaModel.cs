namespace DbOps.Schema.Model;

/// <summary>A position in a schema file; line and column are 1-based (MSBuild's canonical form).</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static readonly SourceLocation None = new("", 0, 0);
    public override string ToString() => Line > 0 ? $"{File}({Line},{Column})" : File;
}

public enum DbProvider { Sqlite, PostgreSql, SqlServer }

/// <summary>The one spelling of each provider in schema files, snapshots, migration headers, settings and messages.</summary>
public static class DbProviders
{
    /// <summary>Every provider name, in <see cref="DbProvider"/> order.</summary>
    public static readonly IReadOnlyList<string> Names = ["sqlite", "postgresql", "sqlserver"];

    /// <summary>The provider's name as written in <c>provider:</c> ("sqlite", "postgresql", "sqlserver").</summary>
    public static string Name(DbProvider provider) => Names[(int)provider];

    /// <summary>Parses a provider name; <paramref name="ignoreCase"/> for MSBuild properties, exact case in schema files.</summary>
    public static bool TryParse(string? text, bool ignoreCase, out DbProvider provider)
    {
        var cmp = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        for (var i = 0; i < Names.Count; i++)
        {
            if (!string.Equals(text, Names[i], cmp)) continue;
            provider = (DbProvider)i;
            return true;
        }
        provider = DbProvider.Sqlite;
        return false;
    }
}

public enum NamingStyle { SnakeCase, Exact }

public enum OnDeleteAction { NoAction, Cascade, Restrict, SetNull }

public enum DbTypeKind
{
    Bool, Int16, Int32, Int64, Float32, Float64, Decimal,
    String, Binary, Guid, Date, Time, DateTime, DateTimeOffset, Json, Enum,
}

/// <summary>A dbops column/parameter type. Length applies to string/binary, Precision/Scale to decimal.</summary>
public sealed record DbType(DbTypeKind Kind, int? Length = null, int? Precision = null, int? Scale = null, string? EnumName = null)
{
    public bool IsInteger => Kind is DbTypeKind.Int16 or DbTypeKind.Int32 or DbTypeKind.Int64;
    public bool IsNumeric => IsInteger || Kind is DbTypeKind.Float32 or DbTypeKind.Float64 or DbTypeKind.Decimal;
    public bool IsText => Kind is DbTypeKind.String or DbTypeKind.Json or DbTypeKind.Enum;

    /// <summary>The canonical dbops spelling, e.g. <c>decimal(12,2)</c>, <c>string(40)</c>, <c>OrderStatus</c>.</summary>
    public override string ToString() => Kind switch
    {
        DbTypeKind.Decimal => Precision is null ? "decimal" : $"decimal({Precision},{Scale ?? 0})",
        DbTypeKind.String => Length is null ? "string" : $"string({Length})",
        DbTypeKind.Binary => Length is null ? "binary" : $"binary({Length})",
        DbTypeKind.Enum => EnumName!,
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>The validated, merged schema of one project. Only produced when there are no errors.</summary>
public sealed class SchemaModel
{
    public required string Name { get; init; }
    /// <summary>Null when the file does not say; the build then uses $(RootNamespace).Data.</summary>
    public string? Namespace { get; init; }
    public DbProvider Provider { get; init; }
    /// <summary>Where <c>provider:</c> is written; null when it is the default or set by the build (DbOpsProvider).</summary>
    public SourceLocation? ProviderLocation { get; init; }
    public NamingStyle Naming { get; init; }
    public IReadOnlyList<EnumModel> Enums { get; init; } = [];
    public IReadOnlyList<EntityModel> Entities { get; init; } = [];
    public IReadOnlyList<QueryModel> Queries { get; init; } = [];
    public SourceLocation Location { get; init; }

    public EntityModel? FindEntity(string name) => Entities.FirstOrDefault(e => e.Name == name);
    public EnumModel? FindEnum(string name) => Enums.FirstOrDefault(e => e.Name == name);
}

public sealed class EnumModel
{
    public required string Name { get; init; }
    public required IReadOnlyList<string> Members { get; init; }
    public string? Comment { get; init; }
    public SourceLocation Location { get; init; }
}

public sealed class EntityModel
{
    /// <summary>Logical (C#) name, the stable identity.</summary>
    public required string Name { get; init; }
    /// <summary>Physical table name (explicit <c>table:</c> or naming applied to Name).</summary>
    public required string Table { get; init; }
    /// <summary>Repository property name, e.g. Customers.</summary>
    public required string Plural { get; init; }
    public required IReadOnlyList<ColumnModel> Columns { get; init; }
    /// <summary>Logical column names of the primary key, in key order.</summary>
    public required IReadOnlyList<string> PrimaryKey { get; init; }
    public IReadOnlyList<IndexModel> Indexes { get; init; } = [];
    public IReadOnlyList<CheckModel> Checks { get; init; } = [];
    public string? RenamedFrom { get; init; }
    public string? Comment { get; init; }
    /// <summary><c>deprecated:</c> (kept in the database, <c>[Obsolete]</c> in C#): null = no, "" = no reason given, else the reason.</summary>
    public string? Deprecated { get; init; }
    public SourceLocation Location { get; init; }

    public ColumnModel? FindColumn(string name) => Columns.FirstOrDefault(c => c.Name == name);
    public ColumnModel Column(string name) => FindColumn(name) ?? throw new KeyNotFoundException($"{Name}.{name}");
    public IEnumerable<ColumnModel> KeyColumns => PrimaryKey.Select(Column);
}

public sealed class ColumnModel
{
    public required string Name { get; init; }
    /// <summary>Physical column name.</summary>
    public required string ColumnName { get; init; }
    public required DbType Type { get; init; }
    public bool Nullable { get; init; }
    public bool Identity { get; init; }
    /// <summary><c>unique: true</c> on the column (a single-column unique index, see EntityModel.Indexes too).</summary>
    public bool Unique { get; init; }
    /// <summary>
    /// Literal default, already converted to the column's CLR value: bool, short, int, long, float, double,
    /// decimal, string, byte[], Guid, DateOnly, TimeOnly, DateTime, DateTimeOffset; enum defaults are the member name (string).
    /// </summary>
    public object? Default { get; init; }
    public string? DefaultSql { get; init; }
    public ForeignKeyModel? References { get; init; }
    public int? MinLength { get; init; }
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }
    public string? Pattern { get; init; }
    public string? RenamedFrom { get; init; }
    public string? Comment { get; init; }
    /// <summary><c>deprecated:</c> (kept in the database, <c>[Obsolete]</c> in C#): null = no, "" = no reason given, else the reason.</summary>
    public string? Deprecated { get; init; }
    public SourceLocation Location { get; init; }
}

public sealed class ForeignKeyModel
{
    /// <summary>Logical name of the referenced entity.</summary>
    public required string Entity { get; init; }
    /// <summary>Logical name of the referenced column (the entity's single-column primary key unless given).</summary>
    public required string Column { get; init; }
    public OnDeleteAction OnDelete { get; init; }
    /// <summary>Physical constraint name, e.g. fk_orders_customer_id.</summary>
    public required string ConstraintName { get; init; }
    public SourceLocation Location { get; init; }
}

public sealed class IndexModel
{
    /// <summary>Physical index name (explicit <c>name:</c> or ix_/ux_ + table + columns).</summary>
    public required string Name { get; init; }
    /// <summary>Logical column names, in index order.</summary>
    public required IReadOnlyList<string> Columns { get; init; }
    public bool Unique { get; init; }
    /// <summary>Partial index filter (raw SQL).</summary>
    public string? Where { get; init; }
    /// <summary>True when this index came from <c>unique: true</c> on a column.</summary>
    public bool FromColumn { get; init; }
    public SourceLocation Location { get; init; }
}

public sealed class CheckModel
{
    /// <summary>Physical constraint name.</summary>
    public required string Name { get; init; }
    public required string Sql { get; init; }
    public SourceLocation Location { get; init; }
}

public sealed class QueryModel
{
    public required string Name { get; init; }
    public required string Sql { get; init; }
    public IReadOnlyList<QueryParameterModel> Parameters { get; init; } = [];
    /// <summary>Null: the query returns an affected-row count.</summary>
    public QueryReturns? Returns { get; init; }
    public string? Comment { get; init; }
    public SourceLocation Location { get; init; }
    /// <summary>Location of the <c>sql:</c> value (DBOPS5xxx errors point here).</summary>
    public SourceLocation SqlLocation { get; init; }
}

public sealed class QueryParameterModel
{
    public required string Name { get; init; }
    public required DbType Type { get; init; }
    public bool Nullable { get; init; }
    public SourceLocation Location { get; init; }
}

/// <summary>Either a scalar (Scalar set) or a row type (Columns set).</summary>
public sealed class QueryReturns
{
    public DbType? Scalar { get; init; }
    public bool ScalarNullable { get; init; }
    public IReadOnlyList<QueryColumnModel> Columns { get; init; } = [];
    public bool IsScalar => Scalar is not null;
    public SourceLocation Location { get; init; }
}

public sealed class QueryColumnModel
{
    public required string Name { get; init; }
    public required DbType Type { get; init; }
    public bool Nullable { get; init; }
    public SourceLocation Location { get; init; }
}
