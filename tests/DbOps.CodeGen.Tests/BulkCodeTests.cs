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
        // The bulk operations are inherited from the runtime's DbOpsRepository, which builds its descriptors from the
        // map's facts: quoted names, key indexes, value getters, the lookup prefix.
        Assert.Contains("public sealed partial class OrderRepository : DbOpsRepository<Order, Guid>", code);
        Assert.Contains("Values = BulkValues, KeyValues = KeyValue, KeyOf = static e => e.Id,", code);
        Assert.Contains("Keys = [0],", code);
        var inherited = typeof(DbOpsRepository<,>).GetMethods().Where(m => m.DeclaringType == typeof(DbOpsRepository<,>)).Select(m => m.Name).ToHashSet();
        foreach (var name in new[] { "UpdateManyAsync", "UpsertManyAsync", "DeleteManyAsync", "GetManyAsync", "InsertManyAsync" })
            Assert.Contains(name, inherited);
        Assert.Equal(2, typeof(DbOpsRepository<,>).GetMethods().Count(m => m.Name == "UpdateManyAsync")); // IEnumerable and IAsyncEnumerable
        // The batch finder of a foreign key is the table's own; no SQL is built from values: the descriptors carry constants.
        Assert.Contains("public Task<IReadOnlyList<Order>> ListByCustomerIdsAsync(IEnumerable<long> values,", code);
        Assert.Contains("DbOpsBulk.LookupAsync<", code);
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
    public void Sql_server_stages_rows_in_a_session_temp_table_and_applies_them_in_one_statement()
    {
        var code = Order(DbProvider.SqlServer);
        Assert.Equal(DbOpsSqlServerServices.StageTable, EntitySql.SqlServerStage);
        Assert.Contains("StagedUpdateSql = \"UPDATE t SET t.[customer_id] = s.[customer_id], t.[status] = s.[status], t.[total] = s.[total], t.[placed_at] = s.[placed_at] " +
                        "FROM [orders] AS t INNER JOIN #dbops_bulk_stage AS s ON t.[id] = s.[id]\", ", code);
        Assert.Contains("StagedDeleteSql = \"DELETE t FROM [orders] AS t INNER JOIN #dbops_bulk_stage AS s ON t.[id] = s.[id]\",", code);
        Assert.Contains("MERGE INTO [orders] WITH (HOLDLOCK) AS target USING (SELECT s.[id], s.[customer_id], s.[status], s.[total], s.[placed_at] FROM #dbops_bulk_stage AS s) AS source ON target.[id] = source.[id]", code);
        // An identity key is written explicitly by an upsert: the staged MERGE allows it, as the one-row MERGE does.
        var customer = CSharpGenerator.Generate(TestSchemas.Shop(DbProvider.SqlServer), new CodeGenOptions("Shop.Data")).Single(f => f.FileName == "Customer.g.cs").Content;
        Assert.Contains("SET IDENTITY_INSERT [customers] ON; MERGE INTO [customers] WITH (HOLDLOCK) AS target USING (SELECT s.[id], s.[email]", customer);
        Assert.Contains("COALESCE(s.[created_at], CURRENT_TIMESTAMP) AS [created_at] FROM #dbops_bulk_stage AS s", customer);
    }
}
