using DbOps.Testing;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace DbOps.Sql.Tests;

/// <summary>The EF model is exactly the schema, and the diff machinery (reused by migrations) is stable.</summary>
public class ModelTests
{
    public static TheoryData<DbProvider> Providers => new(Enum.GetValues<DbProvider>());

    [Theory, MemberData(nameof(Providers))]
    public void Relational_model_has_exactly_the_declared_tables_keys_indexes_and_foreign_keys(DbProvider provider)
    {
        var schema = Schemas.Everything();
        var model = DbModelFactory.Build(schema, provider).GetRelationalModel();

        Assert.Equal(schema.Entities.Select(e => e.Table).Order(StringComparer.Ordinal),
            model.Tables.Select(t => t.Name).Order(StringComparer.Ordinal));
        var account = model.FindTable("account", null)!;
        Assert.Equal(["id", "login", "code", "active", "email", "deleted_at"], account.Columns.OrderBy(c => c.Order).Select(c => c.Name));
        Assert.Equal("pk_account", account.PrimaryKey!.Name);
        Assert.Equal(["ux_account_code"], account.UniqueConstraints.Where(u => !u.GetIsPrimaryKey()).Select(u => u.Name));
        Assert.Equal(["ux_account_email_live", "ux_account_login"], account.Indexes.Select(i => i.Name).Order(StringComparer.Ordinal));

        var document = model.FindTable("document", null)!;
        Assert.Equal(["ix_document_owner_id", "ux_document_owner_id_version"], document.Indexes.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["fk_document_editor_id:SetNull", "fk_document_owner_code:NoAction", "fk_document_owner_id:Restrict", "fk_document_parent_id:NoAction", "fk_document_reviewer_id:NoAction"],
            document.ForeignKeyConstraints.Select(f => $"{f.Name}:{f.OnDeleteAction}").Order(StringComparer.Ordinal));

        var membership = model.FindTable("Membership", null)!;
        Assert.Empty(membership.Indexes); // no convention index for the foreign key
        Assert.Equal(["AccountId", "GroupName"], membership.PrimaryKey!.Columns.Select(c => c.Name));
    }

    [Theory, MemberData(nameof(Providers))]
    public void Non_identity_keys_are_never_generated_by_the_database(DbProvider provider)
    {
        var schema = new SchemaBuilder()
            .Entity("Plain", e => e.Column("Id", "int64", c => c.PrimaryKey()).Column("Name", "string"))
            .Build();
        var sql = DdlGenerator.CreateScript(schema, provider);
        Assert.DoesNotContain("IDENTITY", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AUTOINCREMENT", sql);
        Assert.DoesNotContain("serial", sql);
        var model = DbModelFactory.Build(schema, provider);
        Assert.Equal(ValueGenerated.Never, model.FindEntityType("Plain")!.FindProperty("Id")!.ValueGenerated);
    }

    [Theory, MemberData(nameof(Providers))]
    public void Create_script_is_the_diff_from_the_empty_model(DbProvider provider)
    {
        var schema = Schemas.Shop();
        var model = DbModelFactory.Build(schema, provider);
        var operations = MigrationSql.Diff(null, model, provider);
        Assert.Equal(2, operations.OfType<CreateTableOperation>().Count());
        Assert.Equal(3, operations.OfType<CreateIndexOperation>().Count());
        Assert.Equal(DdlGenerator.CreateScript(schema, provider),
            MigrationSql.ToScript(MigrationSql.Generate(operations, model, provider), provider));
    }

    [Theory, MemberData(nameof(Providers))]
    public void Same_schema_twice_has_no_differences(DbProvider provider)
    {
        var a = DbModelFactory.Build(Schemas.Everything(), provider);
        var b = DbModelFactory.Build(Schemas.Everything(), provider);
        Assert.Empty(MigrationSql.Diff(a, b, provider));
    }

    [Theory, MemberData(nameof(Providers))]
    public void Adding_a_column_in_the_middle_is_one_add_column(DbProvider provider)
    {
        static SchemaModel Shop(bool withNickname) => new SchemaBuilder()
            .Entity("Customer", e =>
            {
                e.Column("Id", "int64", c => c.PrimaryKey().Identity()).Column("Email", "string(320)", c => c.Unique());
                if (withNickname) e.Column("Nickname", "string(40)?");
                e.Column("Name", "string(200)").Index("Name");
            })
            .Build();
        var before = DbModelFactory.Build(Shop(false), provider);
        var after = DbModelFactory.Build(Shop(true), provider);
        var operations = MigrationSql.Diff(before, after, provider);
        // The shifted 'name' column is not reported as altered (column order only matters in CREATE TABLE).
        var add = Assert.IsType<AddColumnOperation>(operations[0]);
        Assert.Equal("nickname", add.Name);
        if (provider == DbProvider.Sqlite)
        {
            // TEXT has no length: string(40) brings its CHECK, which SQLite can only add by rebuilding the table.
            Assert.Equal("ck_customer_nickname_length", Assert.IsType<AddCheckConstraintOperation>(Assert.Single(operations.Skip(1))).Name);
            return;
        }
        Assert.Single(operations);
        var sql = MigrationSql.ToScript(MigrationSql.Generate(operations, after, provider), provider);
        Assert.Contains("nickname", sql);
        Assert.DoesNotContain("DROP", sql);
    }

    [Fact]
    public void Derived_checks_are_named_from_physical_names()
    {
        var entity = Schemas.Everything().FindEntity("TypeZoo")!;
        var names = CheckConstraints.For(entity, DbProvider.PostgreSql).Select(c => c.Name).ToList();
        Assert.Contains("ck_type_zoo_i16_min", names);
        Assert.Contains("ck_type_zoo_i16_max", names);
        Assert.Contains("ck_type_zoo_title_min_length", names);
        Assert.DoesNotContain("ck_type_zoo_title_length", names);
        Assert.Contains("ck_type_zoo_title_length", CheckConstraints.For(entity, DbProvider.Sqlite).Select(c => c.Name));
    }
}
