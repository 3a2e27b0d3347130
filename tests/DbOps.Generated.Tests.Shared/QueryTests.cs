using TestData;

namespace DbOps.Generated.Tests;

public class QueryTests
{
    [Fact]
    public async Task Named_queries_of_every_result_shape()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(0m, await db.TotalRevenueAsync());
        var ann = await db.Customers.InsertAsync(new Customer { Email = "ann@x.io", Name = "Ann", Phone = "555" });
        var bob = await db.Customers.InsertAsync(new Customer { Email = "bob@x.io", Name = "Bob" });
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await db.Orders.InsertAsync(new Order { CustomerId = ann.Id, Total = 10.25m, PlacedAt = t0 });
        await db.Orders.InsertAsync(new Order { CustomerId = ann.Id, Total = 20.50m, PlacedAt = t0.AddDays(2) });
        await db.Orders.InsertAsync(new Order { CustomerId = bob.Id, Total = 1m, PlacedAt = t0.AddDays(-5) });

        var rows = await db.RevenueByCustomerAsync(t0.AddDays(-1));
        var row = Assert.Single(rows);
        Assert.Equal(new RevenueByCustomerRow(ann.Id, "Ann", 30.75m, 2), row);
        var all = new List<RevenueByCustomerRow>();
        await foreach (var r in db.StreamRevenueByCustomerAsync(t0.AddDays(-10))) all.Add(r);
        Assert.Equal([ann.Id, bob.Id], all.Select(r => r.CustomerId));

        Assert.Equal(31.75m, await db.TotalRevenueAsync());
        Assert.Equal("555", await db.CustomerPhoneAsync(ann.Id));
        Assert.Null(await db.CustomerPhoneAsync(bob.Id));     // NULL
        Assert.Null(await db.CustomerPhoneAsync(999));        // no row

        Assert.Equal(1, await db.RenameCustomerAsync("bob@x.io", "Robert"));
        Assert.Equal("Robert", (await db.Customers.GetAsync(bob.Id))!.Name);

        await db.Accounts.InsertAsync(new Account { Login = "alice", Email = "a@x" });
        await db.Accounts.InsertAsync(new Account { Login = "carol" });
        Assert.Equal(2, (await db.FindAccountsAsync(null)).Count);
        Assert.Equal(new FindAccountsRow(1, "alice", "a@x"), (await db.FindAccountsAsync("alice")).Single() with { Id = 1 });
        Assert.Null((await db.FindAccountsAsync("carol")).Single().Email);

        var archived = await db.InTransactionAsync(tx => tx.ArchiveBeforeAsync(t0.AddDays(1)));
        Assert.Equal(2, archived);
        Assert.Equal(1, await db.Orders.CountAsync());
    }
}
