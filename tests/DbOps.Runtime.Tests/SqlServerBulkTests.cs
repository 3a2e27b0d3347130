using DbOps.Runtime;

namespace DbOps.Runtime.Tests;

/// <summary>
/// SQL Server's staged bulk writes, without a server (none exists here): the stage table the runtime creates. The
/// statements applied over it are generated (CodeGen.Tests' BulkCodeTests).
/// </summary>
public class SqlServerBulkTests
{
    private static readonly DbOpsTableInfo Info = new("order_line", [new DbOpsUniqueKey("pk_order_line", ["order_id", "line_no"])], [], []);

    [Fact]
    public void The_stage_has_the_written_columns_in_order_without_identity()
    {
        var table = new DbOpsBulkTable<(long, int)>(Info, "[order_line]", ["[order_id]", "[line_no]", "[sku]", "[qty]"], null, [0, 1], [2, 3, 0, 1],
            static (_, _) => DBNull.Value, null, "-- per row", "-- staged");
        Assert.Equal(
            "SELECT [sku], [qty], [order_id], [line_no] INTO #dbops_bulk_stage FROM [order_line] WHERE 1 = 0 " +
            "UNION ALL SELECT [sku], [qty], [order_id], [line_no] FROM [order_line] WHERE 1 = 0;", DbOpsSqlServerServices.StageSql(table));
    }

    [Fact]
    public void One_row_parameters_carry_the_column_type_size_precision_and_scale_and_get_their_name_by_position()
    {
        var price = new DbOpsSqlServerType(System.Data.SqlDbType.Decimal, 0, 10, 2).Parameter(1.25m);
        Assert.Equal((System.Data.SqlDbType.Decimal, (byte)10, (byte)2, 1.25m), (price.SqlDbType, price.Precision, price.Scale, price.Value));
        var name = new DbOpsSqlServerType(System.Data.SqlDbType.NVarChar, 40).Parameter(DBNull.Value);
        Assert.Equal((System.Data.SqlDbType.NVarChar, 40, (object)DBNull.Value), (name.SqlDbType, name.Size, name.Value));
        DbOpsSqlServerServices.Instance.NameParameter(name, 7);
        Assert.Equal("@p7", name.ParameterName);
        using var command = new Microsoft.Data.SqlClient.SqlCommand();
        DbOpsSqlServerServices.Instance.AddLimitParameter(command, 1, 100);
        Assert.Equal(("@p1", System.Data.SqlDbType.Int, (object)100), (command.Parameters[0].ParameterName, command.Parameters[0].SqlDbType, command.Parameters[0].Value));
    }
}
