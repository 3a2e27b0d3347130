using DbOps.Testing;
using DbOps.Schema;
using DbOps.Schema.Model;

namespace DbOps.Sql.Tests;

/// <summary>The C# test schemas describe what the real YAML front end produces: same scripts from the SPEC example.</summary>
public class ParserAgreementTests
{
    private const string SpecYaml = SpecExample.TablesYaml;

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.PostgreSql)]
    [InlineData(DbProvider.SqlServer)]
    public void Spec_example_from_yaml_gives_the_same_script_as_the_csharp_schema(DbProvider provider)
    {
        var result = SchemaLoader.Load([new SchemaSource("dbops.yaml", SpecYaml)]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal(DdlGenerator.CreateScript(Schemas.Shop(), provider), DdlGenerator.CreateScript(result.Model!, provider));
    }
}
