using DbOps.Generated.Schemas;
using DbOps.Runtime;
using DbOps.Schema.Model;

namespace DbOps.CodeGen.Tests;

/// <summary>The generated bulk and batch-lookup members: thin calls into DbOps.Runtime, SQL fixed at build time.</summary>
public class BulkCodeTests
{
    private static string Order(DbProvider provider) =>
        CSharpGenerator.Generate(TestSchemas.Shop(provider), new CodeGenOptions("Shop.Data")).Single(f => f.FileName == "Order.g.cs").Content;

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.PostgreSql)]
    [InlineData(DbProvider.SqlServer)]
    public void Every_repository_has_bulk_writes_and_batch_lookups(DbProvider provider)
    {
        var code = Order(provider);
        foreach (var member in new[]
                 {
                     "public Task<long> UpdateManyAsync(IEnumerable<Order> entities,", "public Task<long> UpdateManyAsync(IAsyncEnumerable<Order> entities,",
                     "public Task<long> UpsertManyAsync(IEnumerable<Order> entities,", "public Task<long> DeleteManyAsync(IEnumerable<Guid> keys,",
                     "public Task<IReadOnlyList<Order>> GetManyAsync(IEnumerable<Guid> keys,",
                     "public Task<IReadOnlyList<Order>> ListByCustomerIdsAsync(IEnumerable<long> values,",
                 })
            Assert.Contains(member, code);
        // No SQL is built from values: the descriptors carry constants, the methods are one call each.
        Assert.Contains("DbOpsBulk.WriteManyAsync(_session, ", code);
        Assert.Contains("DbOpsBulk.LookupAsync(_session, ", code);
    }

    [Fact]
    public void Postgresql_stages_rows_in_the_runtime_stage_table_and_applies_them_in_one_statement()
    {
        var code = Order(DbProvider.PostgreSql);
        Assert.Contains($"FROM {DbOpsBulk.StageTable} AS s WHERE t.\\\"id\\\" = s.\\\"id\\\"", code);
        Assert.Contains($"USING {DbOpsBulk.StageTable} AS s", code);
        Assert.Contains("ON CONFLICT (\\\"id\\\") DO UPDATE SET", code);
        Assert.Contains("[\"uuid\", \"bigint\", \"text\", \"numeric\", \"timestamp with time zone\"]", code);
    }

    [Fact]
    public void Sql_server_uses_the_one_row_statements_in_one_transaction()
    {
        var code = Order(DbProvider.SqlServer);
        Assert.Contains("UpdateBulk = new(TableInfo, \"[orders]\", [\"[id]\", \"[customer_id]\", \"[status]\", \"[total]\", \"[placed_at]\"], null, [0], [1, 2, 3, 4, 0], BulkValues, static entity => Table.Validate(entity), UpdateSql);", code);
        Assert.Contains("DeleteBulk = new(TableInfo, \"[orders]\", [\"[id]\"], null, [0], [0], KeyValue, null, DeleteSql);", code);
    }
}
