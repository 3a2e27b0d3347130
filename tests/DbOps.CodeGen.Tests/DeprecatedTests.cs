using DbOps.Schema;
using Microsoft.CodeAnalysis;

namespace DbOps.CodeGen.Tests;

/// <summary><c>deprecated:</c> in the schema marks the generated member [Obsolete], so the application's call sites warn.</summary>
public class DeprecatedTests
{
    private const string Yaml = """
        dbops: 1
        name: DepDb
        entities:
          Customer:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              Name: string(50)
              Fax: { type: string(40)?, deprecated: "Nobody sends faxes; use Phone. Dropped in 2.0." }
              Legacy: { type: int32?, deprecated: true }
          OldAudit:
            deprecated: true
            columns:
              Id: { type: int64, primaryKey: true }
        """;

    [Fact]
    public void Call_sites_of_deprecated_members_warn_with_the_reason_and_the_generated_code_does_not()
    {
        var result = SchemaLoader.Load([new SchemaSource("dbops.yaml", Yaml)], null);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var files = CSharpGenerator.Generate(result.Model!, new CodeGenOptions("Dep.Data"));
        const string usage = """
            using Dep.Data;
            namespace User;
            internal static class Usage
            {
                public static object?[] Run(DepDb db, Customer c, OldAudit a) => [c.Name, c.Fax, c.Legacy, a.Id, db.OldAudits];
            }
            """;
        var (_, diagnostics) = RoslynCompiler.Compile(files, "Usage", usage);
        // Nothing in the generated files; one warning per use of a deprecated member in the application's code.
        Assert.All(diagnostics, d => Assert.Equal("extra0.cs", d.Location.GetLineSpan().Path));
        var obsolete = diagnostics.Where(d => d.Id == "CS0618").Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(4, obsolete.Count);
        Assert.Contains(obsolete, m => m.Contains("'Customer.Fax' is obsolete: 'Nobody sends faxes; use Phone. Dropped in 2.0.'", StringComparison.Ordinal));
        Assert.Contains(obsolete, m => m.Contains("'Customer.Legacy' is obsolete: 'Column Customer.Legacy is deprecated: it stays in the database", StringComparison.Ordinal));
        Assert.Contains(obsolete, m => m.Contains("'OldAudit' is obsolete", StringComparison.Ordinal));
        Assert.Contains(obsolete, m => m.Contains("'DepDb.OldAudits' is obsolete", StringComparison.Ordinal));
        Assert.Equal(diagnostics.Length, obsolete.Count);
    }
}
