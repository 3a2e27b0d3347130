using DbOps.Runtime;
using TestData;

namespace DbOps.Generated.Tests;

public class ExceptionTests
{
    [Fact]
    public async Task Validation_lists_every_failure_and_sends_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var bad = new Customer { Email = "not an email", Name = new string('n', 201), Phone = new string('1', 41) };
        var failures = bad.Validate();
        Assert.Equal(["Email:pattern", "Name:maxLength", "Phone:maxLength"], failures.Select(f => $"{f.Member}:{f.Rule}"));
        var ex = await Assert.ThrowsAsync<DbOpsValidationException>(() => db.Customers.InsertAsync(bad));
        Assert.Equal(3, ex.Failures.Count);
        Assert.Equal("Customer", ex.Entity);
        Assert.IsAssignableFrom<DbOpsException>(ex);
        Assert.Equal(0, await db.Customers.CountAsync());

        Assert.Contains(new Customer { Email = null!, Name = "x" }.Validate(), f => f.Member == "Email" && f.Rule == "required");
        Assert.Contains(new Product { Sku = "s", Region = "r", Price = -1 }.Validate(), f => f.Rule == "min");
        Assert.Contains(new Product { Sku = "s", Region = "r", Price = 100001 }.Validate(), f => f.Rule == "max");
        Assert.Contains(new Account { Login = "ab" }.Validate(), f => f.Rule == "minLength");
        Assert.Contains(new TypeZoo { Color = (Color)17, Doc = "{}" }.Validate(), f => f.Rule == "enum" && f.Member == "Color");
        Assert.Contains(new TypeZoo { NColor = (Color)(-1), Doc = "{}" }.Validate(), f => f.Rule == "enum" && f.Member == "NColor");
        Assert.Contains(new TypeZoo { I16 = 1001, Doc = "{}" }.Validate(), f => f.Rule == "max");
        Assert.Contains(new TypeZoo { Hash = new byte[17], Doc = "{}" }.Validate(), f => f.Member == "Hash" && f.Rule == "maxLength");
        Assert.Empty(new Customer { Email = "a@b", Name = "n" }.Validate());

        var c = await db.Customers.InsertAsync(new Customer { Email = "a@b.c", Name = "ok" });
        c.Email = "broken";
        await Assert.ThrowsAsync<DbOpsValidationException>(() => db.Customers.UpdateAsync(c));
        Assert.Equal("a@b.c", (await db.Customers.GetAsync(c.Id))!.Email);
        await Assert.ThrowsAsync<DbOpsValidationException>(() => db.Customers.InsertManyAsync([new Customer { Email = "x@y.z", Name = "ok" }, bad]));
        Assert.Equal(1, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task Unique_violations_name_the_constraint()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Customers.InsertAsync(new Customer { Email = "dup@x.io", Name = "A" });
        var ex = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.Customers.InsertAsync(new Customer { Email = "dup@x.io", Name = "B" }));
        Assert.Equal("ux_customers_email", ex.ConstraintName);
        Assert.Equal("customers", ex.Table);
        Assert.NotNull(ex.InnerException);

        await db.Products.InsertAsync(new Product { Sku = "S", Region = "EU", Price = 1 });
        var composite = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.Products.InsertAsync(new Product { Sku = "S", Region = "EU", Price = 2 }));
        Assert.Equal("ux_product_sku_region", composite.ConstraintName);

        var c = await db.Customers.GetByEmailAsync("dup@x.io");
        var o = await db.Orders.InsertAsync(new Order { CustomerId = c!.Id, Total = 1, PlacedAt = DateTimeOffset.UtcNow });
        var pk = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.Orders.InsertAsync(new Order { Id = o.Id, CustomerId = c.Id, Total = 1, PlacedAt = DateTimeOffset.UtcNow }));
        Assert.Equal("pk_orders", pk.ConstraintName);

        var other = await db.Customers.InsertAsync(new Customer { Email = "other@x.io", Name = "O" });
        other.Email = "dup@x.io";
        var onUpdate = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.Customers.UpdateAsync(other));
        Assert.Equal("ux_customers_email", onUpdate.ConstraintName);

        var bulk = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.Customers.InsertManyAsync(
            [new Customer { Email = "fresh@x.io", Name = "F" }, new Customer { Email = "dup@x.io", Name = "D" }]));
        Assert.Equal("ux_customers_email", bulk.ConstraintName);
        Assert.Null(await db.Customers.GetByEmailAsync("fresh@x.io"));
    }

    [Fact]
    public async Task Foreign_key_violations_name_the_constraint_on_insert_and_delete()
    {
        await using var db = await TestDatabase.CreateAsync();
        var ex = await Assert.ThrowsAsync<DbOpsForeignKeyViolationException>(() =>
            db.Orders.InsertAsync(new Order { CustomerId = 12345, Total = 1, PlacedAt = DateTimeOffset.UtcNow }));
        Assert.Equal("fk_orders_customer_id", ex.ConstraintName);

        var a = await db.Accounts.InsertAsync(new Account { Login = "alice" });
        await db.Memberships.InsertAsync(new Membership { AccountId = a.Id, GroupName = "g", Since = new DateOnly(2024, 1, 1) });
        var del = await Assert.ThrowsAsync<DbOpsForeignKeyViolationException>(() => db.Accounts.DeleteAsync(a.Id));
        Assert.Equal("fk_membership_account_id", del.ConstraintName);
        Assert.NotNull(await db.Accounts.GetAsync(a.Id));
    }

    [Fact]
    public async Task Unique_violation_in_a_named_query_names_the_constraint_and_table()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.Customers.InsertAsync(new Customer { Email = "a@x.io", Name = "A" });
        await db.Customers.InsertAsync(new Customer { Email = "b@x.io", Name = "B" });
        var ex = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.ChangeEmailAsync("b@x.io", "a@x.io"));
        Assert.Equal("ux_customers_email", ex.ConstraintName);
        Assert.Equal("customers", ex.Table);
        var inTx = await Assert.ThrowsAsync<DbOpsUniqueViolationException>(() => db.InTransactionAsync(tx => tx.ChangeEmailAsync("b@x.io", "a@x.io")));
        Assert.Equal("ux_customers_email", inTx.ConstraintName);
    }

    [Fact]
    public async Task Check_violations_name_the_constraint()
    {
        await using var db = await TestDatabase.CreateAsync();
        var ex = await Assert.ThrowsAsync<DbOpsCheckViolationException>(() => db.Accounts.InsertAsync(new Account { Login = "admin" }));
        Assert.Equal("ck_account_login_not_admin", ex.ConstraintName);
        Assert.Equal(0, await db.Accounts.CountAsync());
    }
}
