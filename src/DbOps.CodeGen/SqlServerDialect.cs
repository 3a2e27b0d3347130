using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>Microsoft.Data.SqlClient: [brackets], typed SqlParameter, DateTime-based dates, SqlBulkCopy for bulk.</summary>
internal sealed class SqlServerDialect(string enumsClass) : Dialect(enumsClass)
{
    public override DbProvider Provider => DbProvider.SqlServer;
    public override string Services => "DbOpsSqlServerServices.Instance";
    public override IEnumerable<string> Usings => ["Microsoft.Data.SqlClient"];

    public override string Quote(string identifier) => "[" + identifier.Replace("]", "]]") + "]";

    protected override string ConvertValue(DbType t, string v) => t.Kind switch
    {
        DbTypeKind.Date => $"{v}.ToDateTime(TimeOnly.MinValue)",
        DbTypeKind.Time => $"{v}.ToTimeSpan()",
        _ => v,
    };

    protected override string ReadDate(string r, int ordinal) => $"DateOnly.FromDateTime({r}.GetDateTime({ordinal}))";
    protected override string ReadTime(string r, int ordinal) => $"TimeOnly.FromTimeSpan({r}.GetFieldValue<TimeSpan>({ordinal}))";

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

    public override string NewParameter(DbType t, bool nullable, string expr, int index, string? name = null, string? nullWhen = null)
    {
        var extra = t.Kind == DbTypeKind.Decimal ? $"Precision = {DecimalShape(t).Precision}, Scale = {DecimalShape(t).Scale}, " : "";
        return $"new SqlParameter({NameLiteral(index, name)}, {SqlServerType(t)}) {{ {extra}Value = {ObjectValue(t, nullable, expr, nullWhen)} }}";
    }

    public override void EmitBulkField(EntityModel entity, EntitySql sql, CodeWriter w, string values, string inserted) =>
        w.Line($"private static readonly DbOpsSqlServerBulkInsert<{entity.Name}> Bulk = new({Cs.String(sql.Table)}, " +
               $"[{string.Join(", ", sql.InsertColumns.Select(c => Cs.String(c.ColumnName)))}], {values}, {inserted});");

    public override string ParameterTypeTable => "DbOpsSqlServerType";

    public override string ParameterType(DbType t) => t.Kind == DbTypeKind.Decimal
        ? $"new({SqlServerType(t)}, 0, {DecimalShape(t).Precision}, {DecimalShape(t).Scale})"
        : $"new({SqlServerType(t)})";

    /// <summary>A decimal parameter's precision and scale: the column's, or decimal(18,6) when it declares none.</summary>
    private static (int Precision, int Scale) DecimalShape(DbType t) => (t.Precision ?? 18, t.Scale ?? (t.Precision is null ? 6 : 0));

    public override string ParameterFromTypes(string value) => $"Types[i].Parameter({value})";
}
