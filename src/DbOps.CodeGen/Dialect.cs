using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>
/// Everything provider-specific the generator writes: quoting, placeholders, parameters, typed reads, bulk insert.
/// One subclass per provider (<see cref="SqliteDialect"/>, <see cref="PostgreSqlDialect"/>, <see cref="SqlServerDialect"/>),
/// as <c>MigrationDialect</c> is.
/// </summary>
internal abstract class Dialect(string enumsClass)
{
    public static Dialect For(DbProvider provider, string enumsClass) => provider switch
    {
        DbProvider.Sqlite => new SqliteDialect(enumsClass),
        DbProvider.PostgreSql => new PostgreSqlDialect(enumsClass),
        _ => new SqlServerDialect(enumsClass),
    };

    public abstract DbProvider Provider { get; }
    public bool IsSqlite => Provider == DbProvider.Sqlite;
    public bool IsPostgres => Provider == DbProvider.PostgreSql;
    public bool IsSqlServer => Provider == DbProvider.SqlServer;

    /// <summary>The provider package's services instance (data source, error mapping, retry rules).</summary>
    public abstract string Services { get; }

    /// <summary>The driver's namespaces.</summary>
    public abstract IEnumerable<string> Usings { get; }

    public virtual string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>Placeholder of the n-th (0-based) generated parameter: $1 on PostgreSQL (positional, no rewriting), @pN elsewhere.</summary>
    public virtual string Placeholder(int index) => ParamName(index);

    protected static string ParamName(int index) => "@p" + index;

    /// <summary>The name literal of <see cref="NewParameter"/>'s <c>name</c>: the n-th generated one, unnamed (""), or a query parameter.</summary>
    protected static string NameLiteral(int index, string? name) => Cs.String(name switch { null => ParamName(index), "" => "", _ => "@" + name });

    /// <summary>The provider value of non-null <paramref name="v"/> (CLR type of <paramref name="t"/>).</summary>
    public string Convert(DbType t, string v) => t.Kind == DbTypeKind.Enum ? $"{enumsClass}.ToText({v})" : ConvertValue(t, v);

    /// <summary><see cref="Convert"/> for every kind but enums (stored as their member name everywhere).</summary>
    protected abstract string ConvertValue(DbType t, string v);

    /// <summary>An <c>object</c> expression for a possibly null value: the provider value or DBNull.Value.</summary>
    public string ObjectValue(DbType t, bool nullable, string expr)
    {
        if (!nullable) return Cs.IsReference(t) ? $"(object?){expr} ?? DBNull.Value" : $"(object){Convert(t, expr)}";
        if (Cs.IsReference(t)) return $"(object?){expr} ?? DBNull.Value";
        return $"{expr}.HasValue ? (object){Convert(t, expr + ".Value")} : DBNull.Value";
    }

    /// <summary><see cref="ObjectValue"/>, or DBNull when <paramref name="nullWhen"/> is true at run time.</summary>
    protected string ObjectValue(DbType t, bool nullable, string expr, string? nullWhen) =>
        nullWhen is null ? ObjectValue(t, nullable, expr) : $"{nullWhen} ? DBNull.Value : {ObjectValue(t, nullable, expr)}";

    /// <summary>
    /// An expression creating a parameter holding <paramref name="expr"/>. <paramref name="name"/> null = the n-th
    /// generated parameter (positional on PostgreSQL, @pN elsewhere); "" = unnamed (the runtime names it by position);
    /// otherwise a named query parameter.
    /// <paramref name="nullWhen"/> forces DBNull when true at run time (database defaults on insert).
    /// </summary>
    public abstract string NewParameter(DbType t, bool nullable, string expr, int index, string? name = null, string? nullWhen = null);

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
            DbTypeKind.Date => ReadDate(r, ordinal),
            DbTypeKind.Time => ReadTime(r, ordinal),
            DbTypeKind.DateTime => $"{r}.GetDateTime({ordinal})",
            DbTypeKind.DateTimeOffset => $"{r}.GetFieldValue<DateTimeOffset>({ordinal})",
            DbTypeKind.Enum => $"{enumsClass}.Parse{t.EnumName}({r}.GetString({ordinal}))",
            _ => throw new ArgumentOutOfRangeException(nameof(t)),
        };
        return nullable ? $"{r}.IsDBNull({ordinal}) ? null : {get}" : get;
    }

    protected virtual string ReadDate(string r, int ordinal) => $"{r}.GetFieldValue<DateOnly>({ordinal})";
    protected virtual string ReadTime(string r, int ordinal) => $"{r}.GetFieldValue<TimeOnly>({ordinal})";

    // ---------------------------------------------------------------- bulk insert

    /// <summary>
    /// The repository's <c>Bulk</c> field: the provider's runtime bulk inserter. Providers whose parameters take boxed
    /// values read <paramref name="values"/> (the repository's table-order value getter, with unset database defaults as
    /// NULL); PostgreSQL writes typed values to COPY from a switch of its own. <paramref name="inserted"/> is the list
    /// literal of the inserted columns' table-order indexes.
    /// </summary>
    public abstract void EmitBulkField(EntityModel entity, EntitySql sql, CodeWriter w, string values, string inserted);

    /// <summary>
    /// The element type of the repository's <c>Types</c> table (the parameter type of each column, table order), for
    /// providers whose one-row parameters are built from the value getters; null when the provider writes a typed
    /// parameter switch instead (PostgreSQL: NpgsqlParameter&lt;T&gt;, no boxing).
    /// </summary>
    public virtual string? ParameterTypeTable => null;

    /// <summary>An item of the <c>Types</c> table for a column of type <paramref name="t"/>.</summary>
    public virtual string ParameterType(DbType t) => throw new NotSupportedException();

    /// <summary>An unnamed parameter of column <c>i</c> holding the <c>object</c> expression <paramref name="value"/>, from <c>Types[i]</c>.</summary>
    public virtual string ParameterFromTypes(string value) => throw new NotSupportedException();

    protected static void EmitSwitch(IEnumerable<string> arms, CodeWriter w, string suffix)
    {
        w.Line("{");
        w.Indent();
        foreach (var arm in arms) w.Line(arm);
        w.Line("_ => throw new ArgumentOutOfRangeException(nameof(i)),");
        w.Outdent();
        w.Line("}" + suffix);
    }
}
