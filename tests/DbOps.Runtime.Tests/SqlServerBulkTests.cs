using DbOps.Runtime;

namespace DbOps.Runtime.Tests;

/// <summary>
/// SQL Server's staged bulk update and delete, without a server (none exists here): the statements built from a bulk
/// table description. Quoted identifiers only; no value ever appears in the text.
/// </summary>
public class SqlServerBulkTests
{
    private static readonly DbOpsTableInfo Info = new("order_line", [new DbOpsUniqueKey("pk_order_line", ["order_id", "line_no"])], [], []);

    private static DbOpsBulkTable<(long, int)> Table(int[] written) =>
        new(Info, "[order_line]", ["[order_id]", "[line_no]", "[sku]", "[qty]"], null, [0, 1], written, static (_, _) => DBNull.Value, null, "-- per-row");

    [Fact]
    public void Update_stages_the_written_columns_and_joins_on_the_composite_key()
    {
        var (create, apply) = DbOpsSqlServerServices.StagedSql(Table([2, 3, 0, 1]), DbOpsBulkKind.Update)!.Value;
        Assert.Equal(
            "SELECT [sku], [qty], [order_id], [line_no] INTO #dbops_bulk_stage FROM [order_line] WHERE 1 = 0 " +
            "UNION ALL SELECT [sku], [qty], [order_id], [line_no] FROM [order_line] WHERE 1 = 0;", create);
        Assert.Equal(
            "UPDATE t SET t.[sku] = s.[sku], t.[qty] = s.[qty] FROM [order_line] AS t INNER JOIN #dbops_bulk_stage AS s " +
            "ON t.[order_id] = s.[order_id] AND t.[line_no] = s.[line_no];", apply);
    }

    [Fact]
    public void Delete_stages_the_keys_only()
    {
        var (create, apply) = DbOpsSqlServerServices.StagedSql(Table([0, 1]), DbOpsBulkKind.Delete)!.Value;
        Assert.StartsWith("SELECT [order_id], [line_no] INTO #dbops_bulk_stage FROM [order_line] WHERE 1 = 0 UNION ALL", create, StringComparison.Ordinal);
        Assert.Equal("DELETE t FROM [order_line] AS t INNER JOIN #dbops_bulk_stage AS s ON t.[order_id] = s.[order_id] AND t.[line_no] = s.[line_no];", apply);
    }

    [Fact]
    public void Upsert_keeps_the_per_row_merge()
    {
        Assert.Null(DbOpsSqlServerServices.StagedSql(Table([0, 1, 2, 3]), DbOpsBulkKind.Upsert));
    }
}
