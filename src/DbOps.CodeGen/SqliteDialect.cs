using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>Microsoft.Data.Sqlite: text forms of EF Core (SqliteValues), @pN parameters, a prepared INSERT for bulk.</summary>
internal sealed class SqliteDialect(string enumsClass) : Dialect(enumsClass)
{
    public override DbProvider Provider => DbProvider.Sqlite;
    public override string Services => "DbOpsSqliteServices.Instance";
    public override IEnumerable<string> Usings => ["Microsoft.Data.Sqlite"];

    protected override string ConvertValue(DbType t, string v) => t.Kind switch
    {
        DbTypeKind.Decimal => $"SqliteValues.Decimal({v})",
        DbTypeKind.Guid => $"SqliteValues.Guid({v})",
        DbTypeKind.Date => $"SqliteValues.Date({v})",
        DbTypeKind.Time => $"SqliteValues.Time({v})",
        DbTypeKind.DateTime => $"SqliteValues.DateTime({v})",
        DbTypeKind.DateTimeOffset => $"SqliteValues.DateTimeOffset({v})",
        DbTypeKind.Bool => $"SqliteValues.Bool({v})",
        _ => v,
    };

    private static string SqliteType(DbType t) => "SqliteType." + t.Kind switch
    {
        DbTypeKind.Bool or DbTypeKind.Int16 or DbTypeKind.Int32 or DbTypeKind.Int64 => "Integer",
        DbTypeKind.Float32 or DbTypeKind.Float64 => "Real",
        DbTypeKind.Binary => "Blob",
        _ => "Text",
    };

    public override string NewParameter(DbType t, bool nullable, string expr, int index, string? name = null, string? nullWhen = null) =>
        $"new SqliteParameter({NameLiteral(index, name)}, {SqliteType(t)}) {{ Value = {ObjectValue(t, nullable, expr, nullWhen)} }}";

    public override void EmitBulkField(EntityModel entity, EntitySql sql, CodeWriter w, string values, string inserted) =>
        w.Line($"private static readonly DbOpsSqliteBulkInsert<{entity.Name}> Bulk = new(InsertManySql, Types, {values}, {inserted});");

    public override string ParameterTypeTable => "SqliteType";
    public override string ParameterType(DbType t) => SqliteType(t);
    public override string ParameterFromTypes(string value) => $"new SqliteParameter(\"\", Types[i]) {{ Value = {value} }}";
}
