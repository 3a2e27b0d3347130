using System.Diagnostics;
using TestData;
using Xunit.Abstractions;

namespace DbOps.Generated.Tests;

public class BulkTests(ITestOutputHelper output)
{
    private const int Rows = 100_000;

    private static IEnumerable<Customer> Customers(int n)
    {
        for (var i = 0; i < n; i++) yield return new Customer { Email = $"c{i}@bulk.io", Name = $"Customer {i}", Phone = i % 3 == 0 ? null : $"+{i}" };
    }

    private static async IAsyncEnumerable<Order> Orders(long customerId, int n)
    {
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < n; i++)
        {
            if (i % 10_000 == 0) await Task.Yield();
            yield return new Order { CustomerId = customerId, Total = i / 100m, PlacedAt = t0.AddSeconds(i), Status = (OrderStatus)(i % 4) };
        }
    }

    [Fact]
    public async Task Inserts_100k_rows_from_IEnumerable_and_IAsyncEnumerable()
    {
        await using var db = await TestDatabase.CreateAsync();
        var sw = Stopwatch.StartNew();
        Assert.Equal(Rows, await db.Customers.InsertManyAsync(Customers(Rows)));
        output.WriteLine($"{Rows} customers (IEnumerable): {sw.ElapsedMilliseconds} ms");
        Assert.Equal(Rows, await db.Customers.CountAsync());
        var c = await db.Customers.GetByEmailAsync("c99998@bulk.io");
        Assert.NotNull(c);
        Assert.Equal("+99998", c.Phone);
        Assert.NotEqual(default, c.CreatedAt); // the database default applied to every row
        Assert.Null((await db.Customers.GetByEmailAsync("c3@bulk.io"))!.Phone);

        sw.Restart();
        Assert.Equal(Rows, await db.Orders.InsertManyAsync(Orders(c.Id, Rows)));
        output.WriteLine($"{Rows} orders (IAsyncEnumerable): {sw.ElapsedMilliseconds} ms");
        Assert.Equal(Rows, await db.Orders.CountAsync());
        var orders = await db.Orders.ListByCustomerIdAndPlacedAtAsync(c.Id, new DateTimeOffset(2024, 1, 1, 0, 0, 7, TimeSpan.Zero));
        var o = Assert.Single(orders);
        Assert.Equal((0.07m, OrderStatus.Cancelled), (o.Total, o.Status));
        Assert.Equal(7, o.Id.Version);
    }

    [Fact]
    public async Task Bulk_insert_joins_the_transaction()
    {
        await using var db = await TestDatabase.CreateAsync();
        await Assert.ThrowsAsync<TimeoutException>(() => db.InTransactionAsync(async tx =>
        {
            Assert.Equal(1000, await tx.Customers.InsertManyAsync(Customers(1000)));
            Assert.Equal(1000, await tx.Customers.CountAsync());
            throw new TimeoutException();
        }));
        Assert.Equal(0, await db.Customers.CountAsync());
    }
}

public class BulkCancellationTests
{
    [Fact]
    public async Task Bulk_insert_stops_pulling_rows_when_cancelled_and_inserts_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var cts = new CancellationTokenSource();
        var pulled = 0;
        IEnumerable<Customer> Rows()
        {
            for (var i = 0; i < 100_000; i++)
            {
                if (i == 100) cts.Cancel();
                pulled++;
                yield return new Customer { Email = $"c{i}@cancel.io", Name = "C" };
            }
        }
        async IAsyncEnumerable<Customer> AsyncRows()
        {
            await Task.Yield();
            foreach (var row in Rows()) yield return row; // ignores its token: the bulk insert must check its own
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Customers.InsertManyAsync(Rows(), cts.Token));
        Assert.InRange(pulled, 100, 102);
        Assert.Equal(0, await db.Customers.CountAsync());

        cts.Dispose();
        cts = new CancellationTokenSource();
        pulled = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Customers.InsertManyAsync(AsyncRows(), cts.Token));
        Assert.InRange(pulled, 100, 102);
        Assert.Equal(0, await db.Customers.CountAsync());
        cts.Dispose();
    }
}
