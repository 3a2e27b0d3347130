using DbOps.Schema.Model;

namespace DbOps.Schema.Tests;

public class SpecExampleTests
{
    private static SchemaModel Model()
    {
        var r = TestUtil.Load(Schemas.Spec);
        Assert.True(r.Diagnostics.Count == 0, TestUtil.Dump(r));
        Assert.False(r.HasErrors);
        return r.Model!;
    }

    [Fact]
    public void TopLevelSettings()
    {
        var m = Model();
        Assert.Equal("ShopDb", m.Name);
        Assert.Equal("Shop.Data", m.Namespace);
        Assert.Equal(DbProvider.Sqlite, m.Provider);
        Assert.Equal(NamingStyle.SnakeCase, m.Naming);
        var e = Assert.Single(m.Enums);
        Assert.Equal("OrderStatus", e.Name);
        Assert.Equal(["Pending", "Paid", "Shipped", "Cancelled"], e.Members);
        Assert.Equal(new SourceLocation("dbops.yaml", 8, 3), e.Location);
        Assert.Equal(["Customer", "Order"], m.Entities.Select(x => x.Name));
        Assert.Equal(["RevenueByCustomer", "TotalRevenue", "ArchiveBefore"], m.Queries.Select(q => q.Name));
    }

    [Fact]
    public void Customer()
    {
        var c = Model().FindEntity("Customer")!;
        Assert.Equal("customers", c.Table);
        Assert.Equal("Customers", c.Plural);
        Assert.Equal(["Id"], c.PrimaryKey);
        Assert.Equal(["Id", "Email", "Name", "Phone", "CreatedAt"], c.Columns.Select(x => x.Name));
        Assert.Equal(["id", "email", "name", "phone", "created_at"], c.Columns.Select(x => x.ColumnName));

        var id = c.Column("Id");
        Assert.Equal(new DbType(DbTypeKind.Int64), id.Type);
        Assert.True(id.Identity);
        Assert.False(id.Nullable);
        Assert.Equal(new SourceLocation("dbops.yaml", 14, 7), id.Location);

        var email = c.Column("Email");
        Assert.Equal(new DbType(DbTypeKind.String, Length: 320), email.Type);
        Assert.True(email.Unique);
        Assert.Equal(@"^[^@\s]+@[^@\s]+$", email.Pattern);

        Assert.Equal("string(200)", c.Column("Name").Type.ToString());
        Assert.False(c.Column("Name").Nullable);
        Assert.Equal("string(40)", c.Column("Phone").Type.ToString());
        Assert.True(c.Column("Phone").Nullable);
        Assert.Equal(DbTypeKind.DateTimeOffset, c.Column("CreatedAt").Type.Kind);
        Assert.Equal("CURRENT_TIMESTAMP", c.Column("CreatedAt").DefaultSql);
        Assert.Null(c.Column("CreatedAt").Default);

        Assert.Collection(c.Indexes,
            ux =>
            {
                Assert.Equal("ux_customers_email", ux.Name);
                Assert.Equal(["Email"], ux.Columns);
                Assert.True(ux.Unique);
                Assert.True(ux.FromColumn);
            },
            ix =>
            {
                Assert.Equal("ix_customers_name", ix.Name);
                Assert.Equal(["Name"], ix.Columns);
                Assert.False(ix.Unique);
                Assert.False(ix.FromColumn);
            });
        Assert.Empty(c.Checks);
    }

    [Fact]
    public void Order()
    {
        var o = Model().FindEntity("Order")!;
        Assert.Equal("orders", o.Table);
        Assert.Equal("Orders", o.Plural);
        Assert.Equal(["Id"], o.PrimaryKey);
        Assert.Equal(DbTypeKind.Guid, o.Column("Id").Type.Kind);
        Assert.False(o.Column("Id").Identity);

        var fk = o.Column("CustomerId").References!;
        Assert.Equal("Customer", fk.Entity);
        Assert.Equal("Id", fk.Column);
        Assert.Equal(OnDeleteAction.Cascade, fk.OnDelete);
        Assert.Equal("fk_orders_customer_id", fk.ConstraintName);
        Assert.Equal("customer_id", o.Column("CustomerId").ColumnName);

        var status = o.Column("Status");
        Assert.Equal(new DbType(DbTypeKind.Enum, EnumName: "OrderStatus"), status.Type);
        Assert.Equal("Pending", status.Default);

        var total = o.Column("Total");
        Assert.Equal(new DbType(DbTypeKind.Decimal, Precision: 12, Scale: 2), total.Type);
        Assert.Equal(0m, total.Min);
        Assert.Null(total.Max);

        Assert.Equal("placed_at", o.Column("PlacedAt").ColumnName);
        var ix = Assert.Single(o.Indexes);
        Assert.Equal("ix_orders_customer_id_placed_at", ix.Name);
        Assert.Equal(["CustomerId", "PlacedAt"], ix.Columns);
    }

    [Fact]
    public void Queries()
    {
        var m = Model();
        var rev = m.Queries[0];
        Assert.Contains("WHERE o.placed_at >= @since", rev.Sql);
        Assert.Equal(new SourceLocation("dbops.yaml", 34, 10), rev.SqlLocation);
        var p = Assert.Single(rev.Parameters);
        Assert.Equal("since", p.Name);
        Assert.Equal(DbTypeKind.DateTimeOffset, p.Type.Kind);
        Assert.False(rev.Returns!.IsScalar);
        Assert.Equal(["CustomerId", "Name", "Revenue", "OrderCount"], rev.Returns.Columns.Select(c => c.Name));
        Assert.Equal(["int64", "string", "decimal", "int64"], rev.Returns.Columns.Select(c => c.Type.ToString()));

        var total = m.Queries[1];
        Assert.Equal("SELECT COALESCE(SUM(total), 0) FROM orders", total.Sql);
        Assert.True(total.Returns!.IsScalar);
        Assert.Equal(new DbType(DbTypeKind.Decimal), total.Returns.Scalar);
        Assert.False(total.Returns.ScalarNullable);

        var archive = m.Queries[2];
        Assert.Null(archive.Returns);
        Assert.Equal("before", Assert.Single(archive.Parameters).Name);
    }

    [Theory]
    [InlineData("postgresql", DbProvider.PostgreSql)]
    [InlineData("SqlServer", DbProvider.SqlServer)]
    [InlineData("sqlite", DbProvider.Sqlite)]
    [InlineData("", DbProvider.Sqlite)]
    [InlineData(null, DbProvider.Sqlite)]
    public void ProviderOverride(string? value, DbProvider expected)
    {
        var r = TestUtil.Load(Schemas.Spec, provider: value);
        Assert.Equal(expected, r.Model!.Provider);
    }

    [Fact]
    public void InvalidProviderOverrideHasNoLocation()
    {
        var r = TestUtil.Load(Schemas.Spec, provider: "mysql");
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal("DBOPS1033", d.Code);
        Assert.Equal("", d.Location.File);
        Assert.Equal(0, d.Location.Line);
        Assert.Null(r.Model);
        Assert.StartsWith("dbops: error DBOPS1033:", d.ToCanonicalString());
    }

    [Fact]
    public void OtherSchemasPopulateTheModel()
    {
        var blog = TestUtil.Load(Schemas.Blog).Model!;
        Assert.Equal(DbProvider.PostgreSql, blog.Provider);
        Assert.Equal(NamingStyle.Exact, blog.Naming);
        Assert.Equal("Lifecycle of a post", blog.FindEnum("PostState")!.Comment);
        var author = blog.FindEntity("Author")!;
        Assert.Equal("Author", author.Table);
        Assert.Equal("Authors", author.Plural);
        Assert.Equal(0L, author.Column("Karma").Default);
        Assert.Equal(2.5d, author.Column("Rating").Default);
        Assert.Equal(new DateOnly(2024, 1, 31), author.Column("Joined").Default);
        Assert.Equal(true, author.Column("Active").Default);
        Assert.Equal("Name", author.Column("DisplayName").RenamedFrom);
        Assert.Equal(3, author.Column("Handle").MinLength);
        var post = blog.FindEntity("Post")!;
        Assert.Equal("Article", post.RenamedFrom);
        Assert.Equal("A blog post", post.Comment);
        Assert.Equal(9.99m, post.Column("Price").Default);
        Assert.Equal("Draft", post.Column("State").Default);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.FromHours(1)), post.Column("Stamp").Default);
        Assert.Equal(new ForeignKeyModel { Entity = "Author", Column = "Handle", ConstraintName = "" }.Column, post.Column("AuthorHandle").References!.Column);
        Assert.Equal(OnDeleteAction.SetNull, post.Column("AuthorHandle").References!.OnDelete);
        Assert.Equal("fk_posts_AuthorHandle", post.Column("AuthorHandle").References!.ConstraintName);
        Assert.Equal(["ix_posts_AuthorHandle", "ix_posts_by_editor", "ux_posts_Title"], post.Indexes.Select(i => i.Name));
        Assert.Equal("\"State\" = 'Published'", post.Indexes[2].Where);
        var check = Assert.Single(post.Checks);
        Assert.Equal("ck_posts_title_not_blank", check.Name);
        Assert.Equal(["PostId", "Tag"], blog.FindEntity("PostTag")!.PrimaryKey);
        Assert.Equal("PostTags", blog.FindEntity("PostTag")!.Plural);
        var latest = blog.Queries.Single(q => q.Name == "LatestTitle");
        Assert.True(latest.Returns!.ScalarNullable);
        Assert.Equal(["id", "at"], blog.Queries.Single(q => q.Name == "Publish").Parameters.Select(p => p.Name));
        Assert.True(blog.Queries.Single(q => q.Name == "PostCount").Parameters[0].Nullable);

        var inv = TestUtil.Load(Schemas.Inventory).Model!;
        Assert.Equal("Acme.Inventory.Data", inv.Namespace);
        var item = inv.FindEntity("Item")!;
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, (byte[])item.Column("Marker").Default!);
        Assert.Equal("{\"color\": \"red\"}", item.Column("Attributes").Default);
        Assert.Equal("Piece", item.Column("Unit").Default);
        Assert.Equal(new TimeOnly(8, 30), inv.FindEntity("Warehouse")!.Column("OpensAt").Default);
        Assert.Equal("ux_item_warehouse_id_sku", item.Indexes.Single().Name);
        Assert.Equal("0", item.Column("Counter").DefaultSql);

        var min = TestUtil.Load(Schemas.Minimal).Model!;
        Assert.Equal("AppDb", min.Name);
        Assert.Null(min.Namespace);
        Assert.Equal("note", min.Entities[0].Table);
        Assert.Equal("Notes", min.Entities[0].Plural);
    }
}
