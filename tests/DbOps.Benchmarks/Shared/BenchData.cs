using System.ComponentModel.DataAnnotations.Schema;
using System.Reflection;
using DbOps.Benchmarks.Data;

namespace DbOps.Benchmarks;

/// <summary>
/// The data every contestant works on: generated once per benchmark process with a fixed seed, so every
/// contestant (and every run) sees the same customers, orders and query results.
/// </summary>
public static class BenchData
{
    public const int CustomerCount = 1_000;
    public const int OrderCount = 20_000;
    public const int BulkRows = 100_000;

    /// <summary>All timestamps are UTC (timestamptz only stores UTC; on SQLite the text then compares correctly).</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The aggregation's parameter: about half of the orders are placed on or after it.</summary>
    public static readonly DateTimeOffset Since = Epoch.AddDays(182);

    /// <summary>The aggregation, word for word the RevenueByCustomer query of dbops.yaml (every contestant runs this text).</summary>
    public const string RevenueByCustomerSql =
        "SELECT c.id AS customer_id, c.name, SUM(o.total) AS revenue, COUNT(*) AS order_count\n" +
        "FROM customers c JOIN orders o ON o.customer_id = c.id\n" +
        "WHERE o.placed_at >= @since\n" +
        "GROUP BY c.id, c.name";

    public const string InsertOrderSql =
        "INSERT INTO orders (id, customer_id, status, total, placed_at) VALUES (@id, @customer_id, @status, @total, @placed_at)";

    public const string GetOrderSql =
        "SELECT id, customer_id, status, total, placed_at FROM orders WHERE id = @id";

    public static List<Customer> Customers() =>
        [.. Enumerable.Range(1, CustomerCount).Select(i => new Customer
        {
            Email = $"customer{i}@example.com",
            Name = $"Customer {i}",
            CreatedAt = Epoch.AddMinutes(-i),
        })];

    /// <summary><paramref name="count"/> orders of customers 1..CustomerCount (identity keys 1..N), with explicit keys.</summary>
    public static List<Order> Orders(int count, int seed)
    {
        var random = new Random(seed);
        var list = new List<Order>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(new Order
            {
                Id = NewGuid(random),
                CustomerId = random.Next(1, CustomerCount + 1),
                Status = (OrderStatus)random.Next(0, 4),
                Total = random.Next(100, 100_000) / 100m,
                PlacedAt = Epoch.AddSeconds(random.Next(0, 365 * 24 * 3600)),
            });
        }
        return list;
    }

    /// <summary>A fresh order for the insert-one benchmarks (every contestant builds it the same way).</summary>
    public static Order NewOrder(long customerId) => new()
    {
        Id = Guid.CreateVersion7(),
        CustomerId = customerId,
        Status = OrderStatus.Paid,
        Total = 123.45m,
        PlacedAt = Epoch.AddDays(-1), // before Since: inserts never change the aggregation's result
    };

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>The create script DbOps generated for this provider (obj/.../dbops/schema.&lt;provider&gt;.sql, embedded by the build).</summary>
    public static string SchemaScript()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("dbops.schema.sql")
            ?? throw new InvalidOperationException("The generated schema script is not embedded (see the csproj).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// The aggregation's row for Dapper and EF Core (same shape as the generated RevenueByCustomerRow record, which
/// neither can bind to the query's snake_case columns: Dapper matches constructor parameters by exact column type,
/// EF Core's SqlQuery by column name).
/// </summary>
public sealed class RevenueRow
{
    [Column("customer_id")] public long CustomerId { get; set; }
    [Column("name")] public string Name { get; set; } = "";
    [Column("revenue")] public decimal Revenue { get; set; }
    [Column("order_count")] public long OrderCount { get; set; }
}
