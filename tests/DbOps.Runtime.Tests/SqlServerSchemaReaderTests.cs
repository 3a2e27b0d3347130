using DbOps.Generated.Schemas;
using DbOps.Runtime;
using DbOps.Schema.Model;
using DbOps.Sql.LiveSchema;

namespace DbOps.Runtime.Tests;

/// <summary>
/// SQL Server's reader is compiled and unit-tested only (no server here): the comparison of the expected structure with
/// what its <c>sys</c> catalog spells differently (defaults in parentheses, <c>getdate()</c>, bracketed checks, <c>numeric</c>),
/// and the statements it offers to undo a change.
/// </summary>
public class SqlServerSchemaReaderTests
{
    private static readonly SqlServerSchemaReader Reader = SqlServerSchemaReader.Instance;

    // What sys.default_constraints / sys.check_constraints say for what DbOps wrote.
    private static DbOpsSchemaShape AsCatalogSpellsIt(DbOpsSchemaShape expected) => new([.. expected.Tables.Select(t => t with
    {
        Columns = [.. t.Columns.Select(c => c with
        {
            Type = c.Type.Replace("decimal", "numeric", StringComparison.Ordinal),
            Default = c.Default is null ? null : "(" + c.Default.Replace("CURRENT_TIMESTAMP", "getdate()", StringComparison.Ordinal) + ")",
        })],
        Checks = [.. t.Checks.Select(k => k with { Sql = "(" + k.Sql.Replace(" ", "", StringComparison.Ordinal) + ")" })],
    })]);

    [Fact]
    public void The_catalog_spelling_of_the_expected_structure_is_in_sync()
    {
        var expected = ExpectedShape.Build(TestSchemas.Test(DbProvider.SqlServer), DbProvider.SqlServer);
        Assert.Contains(expected.Tables.SelectMany(t => t.Columns), c => c.Default == "CURRENT_TIMESTAMP");
        var report = DbOpsSchemaComparer.Compare(expected, AsCatalogSpellsIt(expected), "migration 0001", Reader);
        Assert.True(report.InSync, report.ToString());
    }

    [Fact]
    public void A_changed_column_and_an_extra_index_are_reported_with_bracketed_undo_statements()
    {
        var expected = ExpectedShape.Build(TestSchemas.Test(DbProvider.SqlServer), DbProvider.SqlServer);
        var live = AsCatalogSpellsIt(expected);
        var customers = live.Tables.Single(t => t.Name == "customers");
        live = new([.. live.Tables.Where(t => t != customers), customers with
        {
            Columns = [.. customers.Columns.Select(c => c.Name == "name" ? c with { Type = "nvarchar(300)", Nullable = true } : c)],
            Indexes = [.. customers.Indexes, new DbOpsIndexShape("ix_hot", ["phone"], false, "([phone] IS NOT NULL)")],
        }]);
        var report = DbOpsSchemaComparer.Compare(expected, live, "migration 0001", Reader);
        Assert.Equal(
            ["column customers.name is nvarchar(300) in the database but nvarchar(200) in migration 0001",
             "column customers.name is nullable in the database but NOT NULL in migration 0001",
             "index ix_hot on customers (phone) where ([phone] IS NOT NULL) exists in the database but not in migration 0001"],
            report.Differences.Select(d => d.Message));
        Assert.Equal("ALTER TABLE [customers] ALTER COLUMN [name] nvarchar(200) NOT NULL;", report.Differences[0].Undo);
        Assert.Equal("DROP INDEX [ix_hot] ON [customers];", report.Differences[2].Undo);
    }

    [Theory]
    [InlineData("numeric(12,2)", "decimal(12,2)")]
    [InlineData("datetime2(7)", "datetime2")]
    [InlineData("NVARCHAR(40)", "nvarchar(40)")]
    public void Type_spellings_are_normalized(string live, string expected) => Assert.Equal(expected, Reader.NormalizeType(live));
}
