using System.Text.RegularExpressions;
using DbOps.Schema.Model;
using DbOps.Sql;
using DbOps.Testing;

namespace DbOps.CodeGen.Tests;

/// <summary>The constraint names in a repository's TableInfo (used to name SQLite violations) are the DDL's own.</summary>
public class TableInfoTests
{
    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.PostgreSql)]
    public void Unique_key_names_match_the_create_script_for_long_table_names(DbProvider provider)
    {
        var table = "a_very_long_table_name_for_testing_identifier_shortening_xyzw";
        var schema = new SchemaBuilder("LongDb", provider: provider)
            .Entity("Thing", e => e.Table(table)
                .Column("Id", "int64", c => c.PrimaryKey().Identity())
                .Column("ExternalReferenceCode", "string(40)", c => c.Unique())
                .Column("Email", "string(40)", c => c.Unique())
                .AddIndex(["Email"], unique: true, where: "email <> ''", indexName: "ux_live_email"))
            .Build();
        var script = DdlGenerator.CreateScript(schema, provider);
        var code = CSharpGenerator.Generate(schema, new CodeGenOptions("X")).Single(f => f.FileName == "Thing.g.cs").Content;
        var names = Regex.Matches(code, @"new DbOpsUniqueKey\(""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.True(names.Count == 4, string.Join(" | ", names)); // pk, ux for each unique column (the filtered index does not replace one), ux_live_email
        foreach (var name in names)
            Assert.True(script.Contains(name, StringComparison.Ordinal), $"{name} is not in the create script:\n{script}");
    }
}
