using TestData;

namespace DbOps.Generated.Tests;

public class CrudTests
{
    private static Customer NewCustomer(string email, string name = "Ann", string? phone = null) =>
        new() { Email = email, Name = name, Phone = phone };

    [Fact]
    public async Task Insert_returns_identity_and_database_defaults_and_get_reads_it_back()
    {
        await using var db = await TestDatabase.CreateAsync();
        var ann = await db.Customers.InsertAsync(NewCustomer("ann@x.io", phone: "+1 555"));
        Assert.True(ann.Id > 0);
        Assert.NotEqual(default, ann.CreatedAt);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - ann.CreatedAt).TotalMinutes) < 5, ann.CreatedAt.ToString("O"));
        var bob = await db.Customers.InsertAsync(NewCustomer("bob@x.io", "Bob"));
        Assert.Equal(ann.Id + 1, bob.Id);

        var got = await db.Customers.GetAsync(ann.Id);
        Assert.NotNull(got);
        Assert.Equal(("ann@x.io", "Ann", "+1 555"), (got.Email, got.Name, got.Phone));
        Assert.Equal(ann.CreatedAt, got.CreatedAt);
        Assert.Null(await db.Customers.GetAsync(999_999));
        Assert.Null((await db.Customers.GetAsync(bob.Id))!.Phone);
    }

    [Fact]
    public async Task Explicit_value_for_a_column_with_a_database_default_is_kept()
    {
        await using var db = await TestDatabase.CreateAsync();
        var at = new DateTimeOffset(2020, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var c = await db.Customers.InsertAsync(new Customer { Email = "a@b.c", Name = "A", CreatedAt = at });
        Assert.Equal(at, c.CreatedAt);
        Assert.Equal(at, (await db.Customers.GetAsync(c.Id))!.CreatedAt);
    }

    [Fact]
    public async Task Defaults_are_initial_property_values_and_guid_keys_get_version_7()
    {
        Assert.Equal(OrderStatus.Pending, new Order().Status);
        Assert.True(new Account().Active);
        Assert.Equal("untitled", new TypeZoo().Title);
        Assert.Equal("member", new Membership().Role);
        Assert.Equal("", new Customer().Email);

        await using var db = await TestDatabase.CreateAsync();
        var c = await db.Customers.InsertAsync(NewCustomer("g@x.io"));
        var o = await db.Orders.InsertAsync(new Order { CustomerId = c.Id, Total = 10.5m, PlacedAt = DateTimeOffset.UtcNow });
        Assert.NotEqual(Guid.Empty, o.Id);
        Assert.Equal(7, o.Id.Version);
        var explicitId = Guid.NewGuid();
        var o2 = await db.Orders.InsertAsync(new Order { Id = explicitId, CustomerId = c.Id, Total = 1, PlacedAt = DateTimeOffset.UtcNow });
        Assert.Equal(explicitId, o2.Id);
        Assert.Equal(OrderStatus.Pending, (await db.Orders.GetAsync(o.Id))!.Status);
    }

    [Fact]
    public async Task Unique_finders_and_index_and_foreign_key_lists()
    {
        await using var db = await TestDatabase.CreateAsync();
        var ann = await db.Customers.InsertAsync(NewCustomer("ann@x.io", "Same"));
        var bob = await db.Customers.InsertAsync(NewCustomer("bob@x.io", "Same"));
        await db.Customers.InsertAsync(NewCustomer("cy@x.io", "Other"));

        Assert.Equal(bob.Id, (await db.Customers.GetByEmailAsync("bob@x.io"))!.Id);
        Assert.Null(await db.Customers.GetByEmailAsync("nobody@x.io"));
        Assert.Equal([ann.Id, bob.Id], (await db.Customers.ListByNameAsync("Same")).Select(c => c.Id));

        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var o1 = await db.Orders.InsertAsync(new Order { CustomerId = ann.Id, Total = 1, PlacedAt = t0 });
        var o2 = await db.Orders.InsertAsync(new Order { CustomerId = ann.Id, Total = 2, PlacedAt = t0.AddDays(1) });
        await db.Orders.InsertAsync(new Order { CustomerId = bob.Id, Total = 3, PlacedAt = t0 });
        var annOrders = await db.Orders.ListByCustomerIdAsync(ann.Id);
        Assert.Equal(new[] { o1.Id, o2.Id }.Order(), annOrders.Select(o => o.Id).Order());
        var exact = await db.Orders.ListByCustomerIdAndPlacedAtAsync(ann.Id, t0.AddDays(1));
        Assert.Equal(o2.Id, Assert.Single(exact).Id);

        var p = await db.Products.InsertAsync(new Product { Sku = "S1", Region = "EU", Price = 9.99m });
        await db.Products.InsertAsync(new Product { Sku = "S1", Region = "US", Price = 10m });
        Assert.Equal(p.Id, (await db.Products.GetBySkuAndRegionAsync("S1", "EU"))!.Id);
        Assert.Equal(2, (await db.Products.ListBySkuAsync("S1")).Count);
        Assert.Null(await db.Products.GetBySkuAndRegionAsync("S1", "ASIA"));
    }

    [Fact]
    public async Task Update_upsert_delete_count()
    {
        await using var db = await TestDatabase.CreateAsync();
        var ann = await db.Customers.InsertAsync(NewCustomer("ann@x.io"));
        ann.Name = "Ann B.";
        ann.Phone = "123";
        Assert.True(await db.Customers.UpdateAsync(ann));
        var got = await db.Customers.GetAsync(ann.Id);
        Assert.Equal(("Ann B.", "123"), (got!.Name, got.Phone));
        Assert.False(await db.Customers.UpdateAsync(new Customer { Id = 424242, Email = "z@z.z", Name = "Z", CreatedAt = DateTimeOffset.UtcNow }));

        // Upsert: an existing key updates, a new key inserts, an unset identity inserts.
        ann.Name = "Upserted";
        await db.Customers.UpsertAsync(ann);
        Assert.Equal("Upserted", (await db.Customers.GetAsync(ann.Id))!.Name);
        var fresh = new Customer { Email = "new@x.io", Name = "New" };
        await db.Customers.UpsertAsync(fresh);
        Assert.True(fresh.Id > 0);
        await db.Customers.UpsertAsync(new Customer { Id = 5000, Email = "explicit@x.io", Name = "E", CreatedAt = DateTimeOffset.UtcNow });
        Assert.Equal("E", (await db.Customers.GetAsync(5000))!.Name);

        var product = new Product { Id = Guid.NewGuid(), Sku = "A", Region = "EU", Price = 1 };
        await db.Products.UpsertAsync(product);
        product.Price = 2;
        await db.Products.UpsertAsync(product);
        Assert.Equal(2m, (await db.Products.GetAsync(product.Id))!.Price);
        Assert.Equal(1, await db.Products.CountAsync());

        Assert.Equal(3, await db.Customers.CountAsync());
        Assert.True(await db.Customers.DeleteAsync(ann.Id));
        Assert.False(await db.Customers.DeleteAsync(ann.Id));
        Assert.Equal(2, await db.Customers.CountAsync());
        Assert.Null(await db.Customers.GetAsync(ann.Id));
    }

    [Fact]
    public async Task Upsert_with_an_explicit_identity_key_keeps_later_inserts_working()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Customers.UpsertAsync(new Customer { Id = 1, Email = "one@x.io", Name = "One" });
        await db.Customers.UpsertAsync(new Customer { Id = 5, Email = "five@x.io", Name = "Five" });
        var next = await db.Customers.InsertAsync(NewCustomer("next@x.io")); // the identity must not hand out 1 or 5 again
        Assert.True(next.Id > 5, next.Id.ToString());
        await db.Customers.UpsertAsync(new Customer { Id = 2, Email = "two@x.io", Name = "Two" }); // below: leaves the identity alone
        Assert.Equal(next.Id + 1, (await db.Customers.InsertAsync(NewCustomer("last@x.io"))).Id);
        Assert.Equal(5, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task Keyset_paging_walks_every_row_once_in_key_order()
    {
        await using var db = await TestDatabase.CreateAsync();
        for (var i = 0; i < 23; i++) await db.Customers.InsertAsync(NewCustomer($"c{i}@x.io"));
        var seen = new List<long>();
        var page = await db.Customers.ListAsync(5);
        while (page.Count > 0)
        {
            Assert.True(page.Count <= 5);
            seen.AddRange(page.Select(c => c.Id));
            page = await db.Customers.ListAfterAsync(page[^1].Id, 5);
        }
        Assert.Equal(23, seen.Count);
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(await db.Customers.ListAsync(0));
    }

    [Fact]
    public async Task Cascade_delete_removes_orders_of_a_deleted_customer()
    {
        await using var db = await TestDatabase.CreateAsync();
        var c = await db.Customers.InsertAsync(NewCustomer("a@x.io"));
        await db.Orders.InsertAsync(new Order { CustomerId = c.Id, Total = 1, PlacedAt = DateTimeOffset.UtcNow });
        Assert.True(await db.Customers.DeleteAsync(c.Id));
        Assert.Equal(0, await db.Orders.CountAsync());
    }
}
