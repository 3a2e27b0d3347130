using DbOps.CodeGen.Verification;
using DbOps.Generated.Schemas;
using DbOps.Schema.Model;
using DbOps.Sql.LiveSchema;

namespace DbOps.CodeGen.Tests;

public class SchemaShapeEmitterTests
{
    [Theory]
    [MemberData(nameof(GeneratorCompileTests.SchemasAndProviders), MemberType = typeof(GeneratorCompileTests))]
    public void VerifySchemaAsync_and_the_expected_structure_compile_without_any_diagnostic(string schemaName, DbProvider provider)
    {
        var schema = TestSchemas.Get(schemaName, provider);
        var options = new CodeGenOptions("My.App.Data");
        var shape = ExpectedShape.Build(schema, provider);
        var file = SchemaShapeEmitter.Emit(schema, shape, options);
        Assert.Equal(file, SchemaShapeEmitter.Emit(schema, ExpectedShape.Build(schema, provider), options));
        var (_, diagnostics) = RoslynCompiler.Compile([.. CSharpGenerator.Generate(schema, options), file]);
        Assert.True(diagnostics.IsEmpty, RoslynCompiler.Format(diagnostics, [file]));
        foreach (var table in shape.Tables) Assert.Contains($"DbOpsTableShape(\"{table.Name}\",", file.Content);
    }
}
