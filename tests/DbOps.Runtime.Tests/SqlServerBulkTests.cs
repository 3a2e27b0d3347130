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
}
