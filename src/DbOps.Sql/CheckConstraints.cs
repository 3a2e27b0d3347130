using System.Globalization;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace DbOps.Sql;

/// <summary>A CHECK constraint as it goes into the database: physical name and provider SQL.</summary>
public sealed record CheckConstraint(string Name, string Sql, bool Generated);

/// <summary>
/// The CHECK constraints of a table: the user's <c>checks:</c> plus the ones derived from column rules
/// (SPEC §1: "Length, min/max and minLength are enforced twice: in generated Validate() and as database CHECK constraints").
/// </summary>
/// <remarks>
/// Derived constraints, named from physical names (shortened to 63 characters by <see cref="PhysicalNames.Shorten"/>):
/// <list type="bullet">
/// <item><c>ck_{table}_{column}_min</c> / <c>_max</c>: <c>col &gt;= min</c> / <c>col &lt;= max</c>
/// (on SQLite, decimals are stored as TEXT, so the column is compared as <c>CAST(col AS NUMERIC)</c>).</item>
/// <item><c>ck_{table}_{column}_min_length</c>: <c>length(col) &gt;= n</c> (char_length on PostgreSQL, LEN on SQL Server).</item>
/// <item><c>ck_{table}_{column}_length</c>: <c>length(col) &lt;= n</c>, only where the column type does not already
/// enforce the length: string(n) and binary(n) on SQLite, binary(n) (bytea, octet_length) on PostgreSQL.</item>
/// </list>
/// <see cref="EntityModel.Checks"/> holds only the user's checks: the derived constraints are always computed here from
/// the columns, per provider.
/// </remarks>
public static class CheckConstraints
{
    public static IReadOnlyList<CheckConstraint> For(EntityModel entity, DbProvider provider)
    {
        using var context = EfProviders.CreateContext(provider);
        return For(entity, provider, context.GetService<ISqlGenerationHelper>());
    }

    internal static IReadOnlyList<CheckConstraint> For(EntityModel entity, DbProvider provider, ISqlGenerationHelper sql)
    {
        var result = new List<CheckConstraint>();
        foreach (var column in entity.Columns)
        {
            string Name(string rule) => DbOps.Schema.Validation.Identifiers.ColumnCheckName(entity.Table, column.ColumnName, rule);
            var id = sql.DelimitIdentifier(column.ColumnName);
            if (column.Type.Kind == DbTypeKind.String && column.MinLength is { } minLength)
                result.Add(new(Name("min_length"), $"{TextLength(provider, id)} >= {I(minLength)}", true));
            if (column.Type.Length is { } length && !StoreTypes.TypeEnforcesLength(column.Type, provider))
            {
                var fn = column.Type.Kind == DbTypeKind.Binary ? BinaryLength(provider, id) : TextLength(provider, id);
                result.Add(new(Name("length"), $"{fn} <= {I(length)}", true));
            }
            if (column.Min is not null || column.Max is not null)
            {
                var value = provider == DbProvider.Sqlite && column.Type.Kind == DbTypeKind.Decimal ? $"CAST({id} AS NUMERIC)" : id;
                if (column.Min is { } min) result.Add(new(Name("min"), $"{value} >= {D(min)}", true));
                if (column.Max is { } max) result.Add(new(Name("max"), $"{value} <= {D(max)}", true));
            }
        }
        foreach (var check in entity.Checks)
            result.Add(new(check.Name, check.Sql, false));
        return result;
    }

    private static string TextLength(DbProvider provider, string id) => provider switch
    {
        DbProvider.PostgreSql => $"char_length({id})",
        DbProvider.SqlServer => $"LEN({id})",
        _ => $"length({id})",
    };

    private static string BinaryLength(DbProvider provider, string id) => provider switch
    {
        DbProvider.PostgreSql => $"octet_length({id})",
        DbProvider.SqlServer => $"DATALENGTH({id})",
        _ => $"length({id})",
    };

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
