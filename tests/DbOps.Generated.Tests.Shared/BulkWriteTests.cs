using DbOps.Runtime;
using TestData;

namespace DbOps.Generated.Tests;

/// <summary>UpdateManyAsync, UpsertManyAsync, DeleteManyAsync and the batch lookups on a real database.</summary>
public class BulkWriteTests
{
    private const int Rows = 100_000;

    private static IEnumerable<Customer> NewCustomers(int n, string tag = "")
    {
        for (var i = 0; i < n; i++) yield return new Customer { Email = $"c{i}{tag}@bulk.io", Name = $"Customer {i}", Phone = i % 3 == 0 ? null : $"+{i}" };
    }

    private static async Task<List<Customer>> AllAsync(TestDb db) => [.. await db.Customers.ListAsync(limit: 1_000_000)];

    [Fact]
    public async Task Updates_upserts_and_deletes_100k_rows_with_exact_results()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(Rows, await db.Customers.InsertManyAsync(NewCustomers(Rows)));
        var all = await AllAsync(db);
        Assert.Equal(Rows, all.Count);

        // Update: every row with an even id gets a new name and phone; 1,000 keys that do not exist count 0.
        IEnumerable<Customer> Updates()
        {
            foreach (var c in all.Where(c => c.Id % 2 == 0))
                yield return new Customer { Id = c.Id, Email = c.Email, Name = "U" + c.Id, Phone = null, CreatedAt = c.CreatedAt };
            for (var i = 0; i < 1000; i++) yield return new Customer { Id = 10_000_000 + i, Email = $"ghost{i}@bulk.io", Name = "ghost" };
        }
        Assert.Equal(Rows / 2, await db.Customers.UpdateManyAsync(Updates()));
        var afterUpdate = await AllAsync(db);
        Assert.Equal(Rows, afterUpdate.Count);
        var before = all.ToDictionary(c => c.Id);
        foreach (var c in afterUpdate)
        {
            if (c.Id % 2 == 0) Assert.Equal(("U" + c.Id, (string?)null), (c.Name, c.Phone));
            else Assert.Equal((before[c.Id].Name, before[c.Id].Phone), (c.Name, c.Phone));
        }

        // Upsert (async source): the odd ids are updated, 50,000 new rows with explicit keys are inserted.
        var maxId = all.Max(c => c.Id);
        async IAsyncEnumerable<Customer> Upserts()
        {
            await Task.Yield();
            foreach (var c in all.Where(c => c.Id % 2 == 1)) yield return new Customer { Id = c.Id, Email = c.Email, Name = "V" + c.Id, CreatedAt = c.CreatedAt };
            for (var i = 1; i <= Rows / 2; i++) yield return new Customer { Id = maxId + i, Email = $"new{i}@bulk.io", Name = "N" + i };
        }
        Assert.Equal(Rows, await db.Customers.UpsertManyAsync(Upserts()));
        var afterUpsert = await AllAsync(db);
        Assert.Equal(Rows + Rows / 2, afterUpsert.Count);
        foreach (var c in afterUpsert)
        {
            var expected = c.Id > maxId ? "N" + (c.Id - maxId) : c.Id % 2 == 0 ? "U" + c.Id : "V" + c.Id;
            Assert.Equal(expected, c.Name);
        }
        Assert.NotEqual(default, afterUpsert[^1].CreatedAt); // the database default applied to the inserted rows
        // Explicit keys moved the identity on: the next insert does not collide.
        var next = await db.Customers.InsertAsync(new Customer { Email = "after@bulk.io", Name = "after" });
        Assert.True(next.Id > maxId + Rows / 2);

        // Delete: the original 100,000 ids and 1,000 missing ones.
        var keys = all.Select(c => c.Id).Concat(Enumerable.Range(0, 1000).Select(i => 20_000_000L + i));
        Assert.Equal(Rows, await db.Customers.DeleteManyAsync(keys));
        Assert.Equal(Rows / 2 + 1, await db.Customers.CountAsync());
        Assert.Null(await db.Customers.GetAsync(all[0].Id));
        Assert.NotNull(await db.Customers.GetAsync(maxId + 1));
    }

    [Fact]
    public async Task A_violation_in_the_middle_of_a_batch_rolls_back_the_whole_batch()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Customers.InsertManyAsync(NewCustomers(1000));
        var all = await AllAsync(db);
        IEnumerable<Customer> Renamed(Func<int, Customer, Customer> at) => all.Select((c, i) => at(i, new Customer { Id = c.Id, Email = c.Email, Name = "changed", CreatedAt = c.CreatedAt }));

        // Row 500 takes row 0's email: a unique violation after 500 rows were written.
        var unique = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() =>
            db.Customers.UpdateManyAsync(Renamed((i, c) => { if (i == 500) c.Email = all[0].Email; return c; })));
        Assert.Equal("ux_customers_email", unique.ConstraintName);
        Assert.DoesNotContain(await AllAsync(db), c => c.Name == "changed");

        // Row 700 fails validation: nothing is written either.
        var invalid = await Assert.ThrowsAsync<DbOpsValidationException>(() =>
            db.Customers.UpdateManyAsync(Renamed((i, c) => { if (i == 700) c.Email = "not an email"; return c; })));
        Assert.Equal("Customer", invalid.Entity);
        Assert.DoesNotContain(await AllAsync(db), c => c.Name == "changed");

        var upsert = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.Customers.UpsertManyAsync(
            Renamed((i, c) => c).Take(10).Append(new Customer { Id = 5000, Email = all[3].Email, Name = "dup" })));
        Assert.Equal("ux_customers_email", upsert.ConstraintName);
        Assert.Equal(1000, await db.Customers.CountAsync());
        Assert.DoesNotContain(await AllAsync(db), c => c.Name == "changed");

        // Deleting accounts where one in the middle still has a membership (restrict): none is deleted.
        var accounts = new List<Account>();
        for (var i = 0; i < 20; i++) accounts.Add(await db.Accounts.InsertAsync(new Account { Login = $"user{i:00}" }));
        await db.Memberships.InsertAsync(new Membership { AccountId = accounts[10].Id, GroupName = "g", Since = new DateOnly(2024, 1, 1) });
        await Assert.ThrowsAsync<DbOpsForeignKeyViolationException>(() => db.Accounts.DeleteManyAsync(accounts.Select(a => a.Id)));
        Assert.Equal(20, await db.Accounts.CountAsync());

        // Inside InTransactionAsync the bulk call joins the caller's transaction.
        await Assert.ThrowsAsync<TimeoutException>(() => db.InTransactionAsync(async tx =>
        {
            Assert.Equal(1000, await tx.Customers.UpdateManyAsync(Renamed((i, c) => c)));
            Assert.Equal(1000, (await tx.Customers.ListAsync(limit: 2000)).Count(c => c.Name == "changed"));
            throw new TimeoutException();
        }));
        Assert.DoesNotContain(await AllAsync(db), c => c.Name == "changed");
        await db.InTransactionAsync(async tx =>
            Assert.Equal(19, await tx.Accounts.DeleteManyAsync(accounts.Select(a => a.Id).Where(id => id != accounts[10].Id).Append(-1))));
        Assert.Equal(1, await db.Accounts.CountAsync());
    }

    [Fact]
    public async Task A_violation_in_the_middle_of_a_100k_batch_rolls_back_everything_naming_the_constraint()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Customers.InsertManyAsync(NewCustomers(Rows));
        var all = await AllAsync(db);
        // Row 50,000 takes row 0's email: the unique index fails halfway through (SQLite) or in the one join (PostgreSQL).
        var e = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.Customers.UpdateManyAsync(all.Select((c, i) =>
            new Customer { Id = c.Id, Email = i == Rows / 2 ? all[0].Email : c.Email, Name = "changed", CreatedAt = c.CreatedAt })));
        Assert.Equal("ux_customers_email", e.ConstraintName);
        Assert.Equal("customers", e.Table);
        Assert.DoesNotContain(await AllAsync(db), c => c.Name == "changed");
        // Deleting 100,000 accounts where one in the middle still has a membership (restrict): none is deleted.
        await db.Accounts.InsertManyAsync(Enumerable.Range(0, Rows).Select(i => new Account { Login = $"user{i}" }));
        var accounts = (await db.Accounts.ListAsync(limit: Rows)).Select(a => a.Id).ToList();
        await db.Memberships.InsertAsync(new Membership { AccountId = accounts[Rows / 2], GroupName = "g", Since = new DateOnly(2024, 1, 1) });
        await Assert.ThrowsAsync<DbOpsForeignKeyViolationException>(() => db.Accounts.DeleteManyAsync(accounts));
        Assert.Equal(Rows, await db.Accounts.CountAsync());
    }

    [Fact]
    public async Task Upsert_with_a_repeated_key_in_one_call_is_documented_per_provider()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Customers.InsertManyAsync(NewCustomers(10));
        var all = await AllAsync(db);
        IEnumerable<Customer> Twice() =>
        [
            new Customer { Id = all[0].Id, Email = all[0].Email, Name = "first", CreatedAt = all[0].CreatedAt },
            new Customer { Id = all[1].Id, Email = all[1].Email, Name = "other", CreatedAt = all[1].CreatedAt },
            new Customer { Id = all[0].Id, Email = all[0].Email, Name = "second", CreatedAt = all[0].CreatedAt },
        ];
        if (TestDb.Provider == DbOpsProvider.PostgreSql)
        {
            // One INSERT ... ON CONFLICT cannot update a row twice: a typed error naming the key, and nothing written.
            var e = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.Customers.UpsertManyAsync(Twice()));
            Assert.Equal("pk_customers", e.ConstraintName);
            Assert.Contains("more than once", e.Message, StringComparison.Ordinal);
            Assert.Equal(all.Select(c => c.Name), (await AllAsync(db)).Select(c => c.Name));
        }
        else
        {
            // One statement per row: the rows apply in order, so the last one with a key wins.
            Assert.Equal(3, await db.Customers.UpsertManyAsync(Twice()));
            var after = (await AllAsync(db)).ToDictionary(c => c.Id);
            Assert.Equal(("second", "other"), (after[all[0].Id].Name, after[all[1].Id].Name));
        }
    }

    [Fact]
    public async Task Cancellation_stops_the_batch_and_writes_nothing_and_empty_input_does_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Customers.InsertManyAsync(NewCustomers(1000));
        var all = await AllAsync(db);
        using var cts = new CancellationTokenSource();
        var pulled = 0;
        IEnumerable<Customer> Rows()
        {
            foreach (var c in all)
            {
                if (++pulled == 100) cts.Cancel();
                yield return new Customer { Id = c.Id, Email = c.Email, Name = "changed", CreatedAt = c.CreatedAt };
            }
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Customers.UpdateManyAsync(Rows(), cts.Token));
        Assert.InRange(pulled, 100, 102);
        Assert.DoesNotContain(await AllAsync(db), c => c.Name == "changed");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Customers.DeleteManyAsync(all.Select(c => c.Id), cts.Token));
        Assert.Equal(1000, await db.Customers.CountAsync());

        Assert.Equal(0, await db.Customers.UpdateManyAsync([]));
        Assert.Equal(0, await db.Customers.UpsertManyAsync([]));
        Assert.Equal(0, await db.Customers.DeleteManyAsync(Array.Empty<long>()));
        Assert.Empty(await db.Customers.GetManyAsync([]));
        Assert.Empty(await db.Orders.ListByCustomerIdsAsync([]));
        Assert.Equal(1000, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task Batch_lookups_keep_the_input_order_return_duplicates_once_and_skip_missing_keys()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Customers.InsertManyAsync(NewCustomers(5000));
        var all = await AllAsync(db);
        var ids = all.Select(c => c.Id).ToList();

        var some = await db.Customers.GetManyAsync([ids[4], ids[2], ids[4], -1, ids[0], 99_999_999]);
        Assert.Equal([ids[4], ids[2], ids[0]], some.Select(c => c.Id));
        Assert.Equal(all[2].Email, some[1].Email);

        // Beyond every provider's parameter limit in one call (5,000 keys, reversed, each twice): chunked, still in order.
        var reversed = Enumerable.Reverse(ids).ToList();
        var many = await db.Customers.GetManyAsync(reversed.Concat(reversed));
        Assert.Equal(reversed, many.Select(c => c.Id));
        var huge = await db.Customers.GetManyAsync(Enumerable.Range(1, 70_000).Select(i => (long)i));
        Assert.Equal(ids.Where(id => id <= 70_000).Order(), huge.Select(c => c.Id));

        // Children of many parents in one call, grouped by parent in input order.
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var orders = ids.Take(300).SelectMany((id, i) => Enumerable.Range(0, i % 4).Select(k => new Order { CustomerId = id, Total = k, PlacedAt = t0.AddMinutes(k) })).ToList();
        await db.Orders.InsertManyAsync(orders);
        var parents = new[] { ids[7], ids[3], ids[7], ids[4], -5L }; // 3, 3, (dup), 0, missing
        var children = await db.Orders.ListByCustomerIdsAsync(parents);
        Assert.Equal([ids[7], ids[7], ids[7], ids[3], ids[3], ids[3]], children.Select(o => o.CustomerId));
        Assert.Equal([0m, 1m, 2m], children.Take(3).Select(o => o.Total).Order());
        var allChildren = await db.Orders.ListByCustomerIdsAsync(ids);
        Assert.Equal(orders.Count, allChildren.Count);
        Assert.Equal(orders.Select(o => o.CustomerId), allChildren.Select(o => o.CustomerId));
        // 70,000 keys (beyond PostgreSQL's 65,535 and SQLite's 32,766 parameters): the 300 parents reversed, each
        // followed by 232 keys without rows, then 100 more; exactly their orders come back, grouped in that order.
        var wide = ids.Take(300).Reverse().SelectMany((id, i) => Enumerable.Range(0, 232).Select(k => -1L - i * 232 - k).Prepend(id)).Concat(Enumerable.Range(0, 100).Select(k => -100_000L - k)).ToList();
        Assert.Equal(70_000, wide.Count);
        var wideChildren = await db.Orders.ListByCustomerIdsAsync(wide);
        Assert.Equal(orders.OrderBy(o => -ids.IndexOf(o.CustomerId)).Select(o => o.CustomerId), wideChildren.Select(o => o.CustomerId));
        Assert.Equal(orders.Count, wideChildren.Select(o => o.Id).Distinct().Count());

        // Composite keys are tuples.
        var a = await db.Accounts.InsertAsync(new Account { Login = "alice" });
        foreach (var g in new[] { "x", "y", "z" }) await db.Memberships.InsertAsync(new Membership { AccountId = a.Id, GroupName = g, Since = new DateOnly(2024, 1, 1) });
        var ms = await db.Memberships.GetManyAsync([(a.Id, "z"), (a.Id, "nope"), (a.Id, "x"), (a.Id, "z")]);
        Assert.Equal(["z", "x"], ms.Select(m => m.GroupName));
        Assert.Equal(2, await db.Memberships.DeleteManyAsync([(a.Id, "x"), (a.Id, "z"), (a.Id, "nope")]));
        Assert.Equal(["y"], (await db.Memberships.ListByAccountIdAsync(a.Id)).Select(m => m.GroupName));
    }
}
