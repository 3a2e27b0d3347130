using System.Data;
using Microsoft.Data.SqlClient;

namespace DbOps.Runtime;

/// <summary>
/// The SQL Server type of one column, as generated code declares it once per table: what a <see cref="SqlParameter"/>
/// needs besides its value (the size of strings and binaries, the precision and scale of decimals).
/// </summary>
/// <param name="Type">The parameter's SQL Server type.</param>
/// <param name="Size">The size of <c>nvarchar</c>/<c>varbinary</c> (-1 = max); 0 for the other types.</param>
/// <param name="Precision">The precision of <c>decimal</c>; 0 for the other types.</param>
/// <param name="Scale">The scale of <c>decimal</c>; 0 for the other types.</param>
public readonly record struct DbOpsSqlServerType(SqlDbType Type, int Size = 0, byte Precision = 0, byte Scale = 0)
{
    /// <summary>An unnamed parameter of this type holding <paramref name="value"/> (<see cref="DBNull.Value"/> for NULL); the runtime names it.</summary>
    public SqlParameter Parameter(object value) => new() { SqlDbType = Type, Size = Size, Precision = Precision, Scale = Scale, Value = value };
}
