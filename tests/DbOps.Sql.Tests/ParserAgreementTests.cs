using DbOps.Schema;
using DbOps.Schema.Model;

namespace DbOps.Sql.Tests;

/// <summary>The C# test schemas describe what the real YAML front end produces: same scripts from the SPEC example.</summary>
public class ParserAgreementTests
{
    private const string SpecYaml = """
        dbops: 1
        name: ShopDb
        namespace: Shop.Data
        provider: sqlite
        naming: snake_case

        enums:
          OrderStatus: [Pending, Paid, Shipped, Cancelled]

        entities:
          Customer:
            table: customers
            columns:
              Id:        { type: int64, primaryKey: true, identity: true }
              Email:     { type: string(320), unique: true, pattern: '^[^@\s]+@[^@\s]+$' }
              Name:      string(200)
              Phone:     string(40)?
              CreatedAt: { type: datetimeoffset, defaultSql: CURRENT_TIMESTAMP }
            indexes:
              - columns: [Name]
          Order:
            table: orders
            columns:
              Id:         { type: guid, primaryKey: true }
              CustomerId: { type: int64, references: Customer, onDelete: cascade }
              Status:     { type: OrderStatus, default: Pending }
              Total:      { type: 'decimal(12,2)', min: 0 }
              PlacedAt:   datetimeoffset
            indexes:
              - columns: [CustomerId, PlacedAt]
        """;

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.PostgreSql)]
    [InlineData(DbProvider.SqlServer)]
    public void Spec_example_from_yaml_gives_the_same_script_as_the_csharp_schema(DbProvider provider)
    {
        var result = SchemaLoader.Load([new SchemaSource("dbops.yaml", SpecYaml)]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal(DdlGenerator.CreateScript(Schemas.Shop(), provider), DdlGenerator.CreateScript(result.Model!, provider));
    }
}
