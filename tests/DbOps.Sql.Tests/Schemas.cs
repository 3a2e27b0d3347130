using DbOps.Testing;
using DbOps.Schema.Model;

namespace DbOps.Sql.Tests;

/// <summary>Schemas used by the tests.</summary>
public static class Schemas
{
    /// <summary>The SPEC §1 example (ShopDb), as the YAML front end produces it.</summary>
    public static SchemaModel Shop() => SpecExample.ShopEntities(new SchemaBuilder("ShopDb")).Build();

    /// <summary>
    /// Every type (nullable and not), defaults of each type, composite keys, every onDelete, a reference to a
    /// non-key unique column, derived and user checks, a filtered unique index, comments, exact naming of a table.
    /// </summary>
    public static SchemaModel Everything() => new SchemaBuilder("KitchenSinkDb")
        .Enum("Color", "Red", "Green", "Blue")
        .Entity("Account", e => e.Comment("People who log in")
            .Column("Id", "int64", c => c.PrimaryKey().Identity())
            .Column("Login", "string(40)", c => c.Unique().MinLength(3).Comment("The login name"))
            .Column("Code", "string(10)", c => c.Unique())
            .Column("Active", "bool", c => c.Default(true))
            .Column("Email", "string(320)?")
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
            .Column("RawDecimal", "decimal?")
            .Column("Title", "string(100)", c => c.Default("untitled").MinLength(2))
            .Column("Body", "string?")
            .Column("Hash", "binary(16)?")
            .Column("Blob", "binary?")
            .Column("Token", "guid", c => c.Default(Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff")))
            .Column("Day", "date", c => c.Default(new DateOnly(2024, 2, 29)))
            .Column("At", "time", c => c.Default(new TimeOnly(13, 45, 30)))
            .Column("Stamp", "datetime", c => c.Default(new DateTime(2024, 1, 2, 3, 4, 5)))
            .Column("StampOffset", "datetimeoffset", c => c.Default(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)))
            .Column("Doc", "json?")
            .Column("Color", "Color", c => c.Default("Green"))
            .Column("MaybeColor", "Color?")
            .Column("Bytes", "binary(4)", c => c.Default(new byte[] { 1, 2, 3 })))
        .Entity("Membership", e => e.Table("Membership").PrimaryKey("AccountId", "GroupName")
            .Column("AccountId", "int64", c => c.Named("AccountId").References("Account", OnDeleteAction.Cascade))
            .Column("GroupName", "string(50)", c => c.Named("GroupName"))
            .Column("Since", "date"))
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
        .Build();
}
