using DbOps.Schema.Model;

namespace DbOps.Testing;

/// <summary>The example of SPEC §1 (../shared/SPEC.md), verbatim: the one copy every test project uses.</summary>
public static class SpecExample
{
    public const string Yaml = """
        dbops: 1                      # format version
        name: ShopDb                  # C# name of the generated database class (default AppDb)
        namespace: Shop.Data          # default: $(RootNamespace).Data
        provider: sqlite              # sqlite (default) | postgresql | sqlserver
        naming: snake_case            # physical names from logical ones: snake_case (default) | exact

        enums:
          OrderStatus: [Pending, Paid, Shipped, Cancelled]     # stored as text

        entities:
          Customer:
            table: customers          # optional; default naming(Customer) = customer
            columns:
              Id:        { type: int64, primaryKey: true, identity: true }
              Email:     { type: string(320), unique: true, pattern: '^[^@\s]+@[^@\s]+$' }
              Name:      string(200)                            # shorthand: just the type
              Phone:     string(40)?                            # '?' = nullable
              CreatedAt: { type: datetimeoffset, defaultSql: CURRENT_TIMESTAMP }
            indexes:
              - columns: [Name]
          Order:
            table: orders
            columns:
              Id:         { type: guid, primaryKey: true }      # empty guid keys get Guid.CreateVersion7() on insert
              CustomerId: { type: int64, references: Customer, onDelete: cascade }
              Status:     { type: OrderStatus, default: Pending }
              Total:      { type: 'decimal(12,2)', min: 0 }
              PlacedAt:   datetimeoffset
            indexes:
              - columns: [CustomerId, PlacedAt]

        queries:
          RevenueByCustomer:          # generates ShopDb.RevenueByCustomerAsync(DateTimeOffset since, ...)
            sql: |
              SELECT c.id AS customer_id, c.name, SUM(o.total) AS revenue, COUNT(*) AS order_count
              FROM customers c JOIN orders o ON o.customer_id = c.id
              WHERE o.placed_at >= @since
              GROUP BY c.id, c.name
            params: { since: datetimeoffset }
            returns: { CustomerId: int64, Name: string, Revenue: decimal, OrderCount: int64 }
          TotalRevenue:
            sql: SELECT COALESCE(SUM(total), 0) FROM orders
            returns: decimal          # a single type = scalar result
          ArchiveBefore:
            sql: DELETE FROM orders WHERE placed_at < @before
            params: { before: datetimeoffset }                  # no returns = affected row count
        """;

    /// <summary>The SPEC §1 tables without comments or queries: what the DDL and migration tests load.</summary>
    public const string TablesYaml = """
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

    /// <summary>The SPEC §1 tables as <see cref="SchemaBuilder"/> calls (the model the YAML front end produces).</summary>
    public static SchemaBuilder ShopEntities(SchemaBuilder b) => b
        .Enum("OrderStatus", "Pending", "Paid", "Shipped", "Cancelled")
        .Entity("Customer", e => e.Table("customers")
            .Column("Id", "int64", c => c.PrimaryKey().Identity())
            .Column("Email", "string(320)", c => c.Unique().Pattern(@"^[^@\s]+@[^@\s]+$"))
            .Column("Name", "string(200)")
            .Column("Phone", "string(40)?")
            .Column("CreatedAt", "datetimeoffset", c => c.DefaultSql("CURRENT_TIMESTAMP"))
            .Index("Name"))
        .Entity("Order", e => e.Table("orders")
            .Column("Id", "guid", c => c.PrimaryKey())
            .Column("CustomerId", "int64", c => c.References("Customer", OnDeleteAction.Cascade))
            .Column("Status", "OrderStatus", c => c.Default("Pending"))
            .Column("Total", "decimal(12,2)", c => c.Min(0))
            .Column("PlacedAt", "datetimeoffset")
            .Index("CustomerId", "PlacedAt"));
}
