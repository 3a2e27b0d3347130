using TestData;

namespace DbOps.Generated.Tests;

public class CompositeKeyTests
{
    [Fact]
    public async Task Composite_primary_key_crud_prefix_list_and_paging()
    {
        await using var db = await TestDatabase.CreateAsync();
        var a = await db.Accounts.InsertAsync(new Account { Login = "alice" });
        var b = await db.Accounts.InsertAsync(new Account { Login = "bobby" });
        var day = new DateOnly(2024, 2, 29);
        foreach (var g in new[] { "c", "a", "b" })
            await db.Memberships.InsertAsync(new Membership { AccountId = a.Id, GroupName = g, Since = day });
        await db.Memberships.InsertAsync(new Membership { AccountId = b.Id, GroupName = "a", Since = day, Role = "owner" });

        var m = await db.Memberships.GetAsync(a.Id, "b");
        Assert.NotNull(m);
        Assert.Equal(("member", day), (m.Role, m.Since));
        Assert.Null(await db.Memberships.GetAsync(b.Id, "b"));

        Assert.Equal(["a", "b", "c"], (await db.Memberships.ListByAccountIdAsync(a.Id)).Select(x => x.GroupName));

        m.Role = "admin";
        Assert.True(await db.Memberships.UpdateAsync(m));
        Assert.Equal("admin", (await db.Memberships.GetAsync(a.Id, "b"))!.Role);
        await db.Memberships.UpsertAsync(new Membership { AccountId = b.Id, GroupName = "a", Since = day, Role = "upserted" });
        await db.Memberships.UpsertAsync(new Membership { AccountId = b.Id, GroupName = "z", Since = day });
        Assert.Equal("upserted", (await db.Memberships.GetAsync(b.Id, "a"))!.Role);
        Assert.Equal(5, await db.Memberships.CountAsync());

        var keys = new List<(long, string)>();
        var page = await db.Memberships.ListAsync(2);
        while (page.Count > 0)
        {
            keys.AddRange(page.Select(x => (x.AccountId, x.GroupName)));
            page = await db.Memberships.ListAfterAsync(page[^1].AccountId, page[^1].GroupName, 2);
        }
        Assert.Equal([(a.Id, "a"), (a.Id, "b"), (a.Id, "c"), (b.Id, "a"), (b.Id, "z")], keys);

        Assert.True(await db.Memberships.DeleteAsync(a.Id, "c"));
        Assert.False(await db.Memberships.DeleteAsync(a.Id, "c"));
        Assert.Equal(4, await db.Memberships.CountAsync());

        // The inherited tuple forms (the key as GetManyAsync/DeleteManyAsync take it) are the same operations.
        Assert.Equal("admin", (await db.Memberships.GetAsync((a.Id, "b")))!.Role);
        Assert.Equal([(b.Id, "a"), (b.Id, "z")], (await db.Memberships.ListAfterAsync((a.Id, "b"), 10)).Select(x => (x.AccountId, x.GroupName)));
        Assert.True(await db.Memberships.DeleteAsync((b.Id, "z")));
        Assert.Null(await db.Memberships.GetAsync(b.Id, "z"));
        Assert.Equal(3, await db.Memberships.CountAsync());
    }
}
