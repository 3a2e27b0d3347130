using DbOps.Testing;
using DbOps.Schema.Model;

namespace DbOps.Generated.Schemas;

/// <summary>Schemas the code generator is tested with.</summary>
public static class TestSchemas
{
    /// <summary>Names accepted by <see cref="Get"/>.</summary>
    public static readonly string[] Names = ["shop", "test", "everything"];

    public static SchemaModel Get(string name, DbProvider provider) => name switch
    {
        "shop" => Shop(provider),
        "test" => Test(provider),
        "everything" => Everything(provider),
        _ => throw new ArgumentException($"unknown schema {name}"),
    };

    /// <summary>The SPEC §1 example (ShopDb), as the YAML front end produces it.</summary>
    public static SchemaModel Shop(DbProvider provider = DbProvider.Sqlite) => SpecExample.ShopEntities(new SchemaBuilder("ShopDb", provider: provider))
        .Query("RevenueByCustomer", """
            SELECT c.id AS customer_id, c.name, SUM(o.total) AS revenue, COUNT(*) AS order_count
            FROM customers c JOIN orders o ON o.customer_id = c.id
            WHERE o.placed_at >= @since
            GROUP BY c.id, c.name
            """,
            [("since", "datetimeoffset")],
            columns: [("CustomerId", "int64"), ("Name", "string"), ("Revenue", "decimal"), ("OrderCount", "int64")])
        .Query("TotalRevenue", "SELECT COALESCE(SUM(total), 0) FROM orders", scalar: "decimal")
        .Query("ArchiveBefore", "DELETE FROM orders WHERE placed_at < @before", [("before", "datetimeoffset")])
        .Build();

    /// <summary>
    /// The behaviour-test schema: the SPEC example plus every type (nullable and not), composite keys, a composite
    /// unique index, a restricting foreign key, a user CHECK, and queries of every result shape.
    /// </summary>
    public static SchemaModel Test(DbProvider provider = DbProvider.Sqlite)
    {
        var b = SpecExample.ShopEntities(new SchemaBuilder("TestDb", provider: provider));
        b.Enum("Color", "Red", "Green", "Blue");
        b.Entity("Account", e => e
            .Column("Id", "int64", c => c.PrimaryKey().Identity())
            .Column("Login", "string(40)", c => c.Unique().MinLength(3))
            .Column("Active", "bool", c => c.Default(true))
            .Column("Email", "string(320)?")
            .Check("ck_account_login_not_admin", "login <> 'admin'"));
        b.Entity("TypeZoo", e => e
            .Column("Id", "guid", c => c.PrimaryKey())
            .Column("B", "bool")
            .Column("I16", "int16", c => c.Min(-1000).Max(1000))
            .Column("I32", "int32")
            .Column("I64", "int64")
            .Column("F32", "float32")
            .Column("F64", "float64")
            .Column("Amount", "decimal(18,6)")
            .Column("Title", "string(100)", c => c.Default("untitled"))
            .Column("Body", "string")
            .Column("Hash", "binary(16)")
            .Column("Blob", "binary")
            .Column("Token", "guid")
            .Column("Day", "date")
            .Column("At", "time")
            .Column("Stamp", "datetime")
            .Column("StampOffset", "datetimeoffset")
            .Column("Doc", "json")
            .Column("Color", "Color", c => c.Default("Green"))
            .Column("NB", "bool?")
            .Column("NI16", "int16?")
            .Column("NI32", "int32?")
            .Column("NI64", "int64?")
            .Column("NF32", "float32?")
            .Column("NF64", "float64?")
            .Column("NAmount", "decimal(18,6)?")
            .Column("NBody", "string?")
            .Column("NBlob", "binary?")
            .Column("NToken", "guid?")
            .Column("NDay", "date?")
            .Column("NAt", "time?")
            .Column("NStamp", "datetime?")
            .Column("NStampOffset", "datetimeoffset?")
            .Column("NDoc", "json?")
            .Column("NColor", "Color?"));
        b.Entity("Membership", e => e.PrimaryKey("AccountId", "GroupName")
            .Column("AccountId", "int64", c => c.References("Account", OnDeleteAction.Restrict))
            .Column("GroupName", "string(50)")
            .Column("Since", "date")
            .Column("Role", "string(20)", c => c.Default("member")));
        b.Entity("Product", e => e
            .Column("Id", "guid", c => c.PrimaryKey())
            .Column("Sku", "string(20)")
            .Column("Region", "string(10)")
            .Column("Price", "decimal(10,2)", c => c.Min(0).Max(100000))
            .UniqueIndex("Sku", "Region"));
        b.Query("RevenueByCustomer", """
            SELECT c.id AS customer_id, c.name, SUM(o.total) AS revenue, COUNT(*) AS order_count
            FROM customers c JOIN orders o ON o.customer_id = c.id
            WHERE o.placed_at >= @since
            GROUP BY c.id, c.name
            ORDER BY c.id
            """,
            [("since", "datetimeoffset")],
            columns: [("CustomerId", "int64"), ("Name", "string"), ("Revenue", "decimal"), ("OrderCount", "int64")]);
        b.Query("TotalRevenue", "SELECT COALESCE(SUM(total), 0) FROM orders", scalar: "decimal");
        b.Query("CustomerPhone", "SELECT phone FROM customers WHERE id = @id", [("id", "int64")], scalar: "string?");
        b.Query("ArchiveBefore", "DELETE FROM orders WHERE placed_at < @before", [("before", "datetimeoffset")]);
        b.Query("RenameCustomer", "UPDATE customers SET name = @name WHERE email = @email", [("email", "string"), ("name", "string")]);
        b.Query("ChangeEmail", "UPDATE customers SET email = @replacement WHERE email = @email", [("email", "string"), ("replacement", "string")]);
        b.Query("FindAccounts", "SELECT id, login, email FROM account WHERE (@login IS NULL OR login = @login) ORDER BY id",
            [("login", "string?")], columns: [("Id", "int64"), ("Login", "string"), ("Email", "string?")]);
        return b.Build();
    }

    /// <summary>Every feature at once, for compile checks (defaults of every type, exact names, self references).</summary>
    public static SchemaModel Everything(DbProvider provider = DbProvider.Sqlite) => new SchemaBuilder("KitchenSinkDb", provider: provider)
        .Enum("Color", "Red", "Green", "Blue")
        .Entity("Account", e => e.Comment("People <who> log in & out")
            .Column("Id", "int64", c => c.PrimaryKey().Identity())
            .Column("Login", "string(40)", c => c.Unique().MinLength(3).Comment("The \"login\" name"))
            .Column("Code", "string(10)", c => c.Unique())
            .Column("Active", "bool", c => c.Default(true))
            .Column("Email", "string(320)?", c => c.Pattern("^\\S+@\\S+$"))
            .Column("DeletedAt", "datetime?")
            .AddIndex(["Email"], unique: true, where: "deleted_at IS NULL", indexName: "ux_account_email_live")
            .Check("ck_account_login_not_admin", "login <> 'admin'"))
        .Entity("TypeZoo", e => e
            .Column("Id", "int32", c => c.PrimaryKey().Identity())
            .Column("B", "bool", c => c.Default(false))
            .Column("I16", "int16", c => c.Default((short)7).Min(-100).Max(100))
            .Column("I32", "int32", c => c.Default(42).Min(0))
            .Column("I64", "int64", c => c.Default(9_000_000_000L))
            .Column("F32", "float32", c => c.Default(1.5f))
            .Column("F64", "float64", c => c.Default(2.25d).Max(1000))
            .Column("Amount", "decimal(12,2)", c => c.Default(12.50m).Min(0).Max(1000000))
            .Column("RawDecimal", "decimal?", c => c.Min(-5.5m))
            .Column("Title", "string(100)", c => c.Default("untit\"led\\").MinLength(2))
            .Column("Body", "string?")
            .Column("Hash", "binary(16)?", c => c.MinLength(4))
            .Column("Blob", "binary?")
            .Column("Token", "guid", c => c.Default(Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff")))
            .Column("Day", "date", c => c.Default(new DateOnly(2024, 2, 29)))
            .Column("At", "time", c => c.Default(new TimeOnly(13, 45, 30)))
            .Column("Stamp", "datetime", c => c.Default(new DateTime(2024, 1, 2, 3, 4, 5)))
            .Column("StampOffset", "datetimeoffset", c => c.Default(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))))
            .Column("Doc", "json?")
            .Column("Color", "Color", c => c.Default("Green"))
            .Column("MaybeColor", "Color?")
            .Column("Bytes", "binary(4)", c => c.Default(new byte[] { 1, 2, 3 }))
            .Column("Created", "datetime", c => c.DefaultSql("CURRENT_TIMESTAMP"))
            .Column("Flag", "bool", c => c.DefaultSql("1"))
            .Column("Note", "string?", c => c.DefaultSql("'n/a'")))
        .Entity("Membership", e => e.Table("Membership").PrimaryKey("AccountId", "GroupName", "Event")
            .Column("AccountId", "int64", c => c.Named("AccountId").References("Account", OnDeleteAction.Cascade))
            .Column("GroupName", "string(50)", c => c.Named("GroupName"))
            .Column("Event", "int32")
            .Column("Since", "date"))
        .Entity("Tag", e => e.PrimaryKey("Name", "Kind")
            .Column("Name", "string(20)")
            .Column("Kind", "Color"))
        .Entity("Document", e => e
            .Column("Id", "guid", c => c.PrimaryKey())
            .Column("OwnerId", "int64", c => c.References("Account", OnDeleteAction.Restrict))
            .Column("EditorId", "int64?", c => c.References("Account", OnDeleteAction.SetNull))
            .Column("ReviewerId", "int64?", c => c.References("Account"))
            .Column("OwnerCode", "string(10)?", c => c.References("Account.Code", OnDeleteAction.NoAction))
            .Column("ParentId", "guid?", c => c.References("Document", OnDeleteAction.NoAction))
            .Column("Version", "int32", c => c.Default(1).Min(1))
            .Index("OwnerId")
            .AddIndex(["OwnerId", "Version"], unique: true, where: null, indexName: null))
        .Query("Nothing", "UPDATE account SET active = 1 WHERE 1 = 0")
        .Query("Count", "SELECT COUNT(*) FROM account WHERE login = @class", [("class", "string")], scalar: "int64")
        .Query("MaybeDay", "SELECT day FROM type_zoo WHERE id = @id", [("id", "int32")], scalar: "date?")
        .Query("Zoo", "SELECT * FROM type_zoo WHERE token = @token AND (@day IS NULL OR day = @day)", [("token", "guid"), ("day", "date?")],
            columns: [("Id", "int32"), ("B", "bool"), ("I16", "int16"), ("Color", "Color?"), ("Hash", "binary?"), ("At", "time"), ("Doc", "json?")])
        .Build();
}
