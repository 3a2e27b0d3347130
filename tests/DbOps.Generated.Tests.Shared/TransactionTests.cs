using System.Data;
using DbOps.Runtime;
using TestData;

namespace DbOps.Generated.Tests;

public class TransactionTests
{
    [Fact]
    public async Task Commits_when_the_delegate_returns()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.InTransactionAsync(async tx =>
        {
            var c = await tx.Customers.InsertAsync(new Customer { Email = "t@x.io", Name = "T" });
            await tx.Orders.InsertAsync(new Order { CustomerId = c.Id, Total = 5, PlacedAt = DateTimeOffset.UtcNow });
            c.Name = "Changed";
            await tx.Customers.UpdateAsync(c);
            Assert.Equal(1, await tx.Orders.CountAsync());
            Assert.Equal(1, await tx.InsertManyCustomersForTest());
        });
        Assert.Equal(2, await db.Customers.CountAsync());
        Assert.Equal("Changed", (await db.Customers.GetByEmailAsync("t@x.io"))!.Name);
        Assert.Equal(1, await db.Orders.CountAsync());

        var total = await db.InTransactionAsync(async tx => await tx.TotalRevenueAsync(), IsolationLevel.Serializable);
        Assert.Equal(5m, total);
    }

    [Fact]
    public async Task Rolls_back_and_rethrows_the_delegates_own_exception()
    {
        await using var db = await TestDatabase.CreateAsync();
        var boom = new InvalidOperationException("boom");
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => db.InTransactionAsync(async tx =>
        {
            await tx.Customers.InsertAsync(new Customer { Email = "r@x.io", Name = "R" });
            await tx.Customers.InsertManyAsync([new Customer { Email = "r2@x.io", Name = "R2" }]);
            Assert.Equal(2, await tx.Customers.CountAsync());
            throw boom;
        }));
        Assert.Same(boom, thrown);
        Assert.Equal(0, await db.Customers.CountAsync());

        // A database error inside: the mapped exception surfaces, and nothing is kept.
        await db.Customers.InsertAsync(new Customer { Email = "dup@x.io", Name = "D" });
        await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.InTransactionAsync(async tx =>
        {
            await tx.Customers.InsertAsync(new Customer { Email = "kept@x.io", Name = "K" });
            await tx.Customers.InsertAsync(new Customer { Email = "dup@x.io", Name = "D" });
        }));
        Assert.Null(await db.Customers.GetByEmailAsync("kept@x.io"));
    }

    [Fact]
    public async Task Retries_serialization_failures_a_bounded_number_of_times()
    {
        await using var db = await TestDatabase.CreateAsync();
        var attempts = 0;
        var result = await db.InTransactionAsync(async tx =>
        {
            attempts++;
            await tx.Customers.InsertAsync(new Customer { Email = $"try{attempts}@x.io", Name = "T" });
            if (attempts < 3) throw TestDatabase.SerializationFailure();
            return attempts;
        }, maxRetries: 5);
        Assert.Equal(3, result);
        Assert.Equal(1, await db.Customers.CountAsync());
        Assert.NotNull(await db.Customers.GetByEmailAsync("try3@x.io"));

        attempts = 0;
        var deadlock = TestDatabase.Deadlock();
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => db.InTransactionAsync(_ =>
        {
            attempts++;
            throw deadlock;
        }, maxRetries: 2));
        Assert.Same(deadlock, thrown);
        Assert.Equal(3, attempts);
    }
}

internal static class TransactionTestExtensions
{
    public static Task<long> InsertManyCustomersForTest(this TestDbTransaction tx) =>
        tx.Customers.InsertManyAsync([new Customer { Email = "many@x.io", Name = "M" }]);
}
