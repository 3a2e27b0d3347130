using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using DbOps.CodeGen;
using DbOps.CodeGen.Migrations;
using DbOps.Generated.Schemas;
using DbOps.Schema.Model;
using DbOps.Sql;
using DbOps.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Data.Sqlite;

namespace DbOps.Runtime.Tests;

/// <summary>The generated <c>MigrateAsync</c>/<c>GetPendingMigrationsAsync</c>: compiled with the rest of the generated code, and run.</summary>
public class GeneratedMigrateTests
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        _ = typeof(DbOpsMigrator);
        _ = typeof(Microsoft.Extensions.Logging.ILogger);
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. tpa.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(p => MetadataReference.CreateFromFile(p))];
    });

    private static (byte[]? Assembly, ImmutableArray<Diagnostic> Diagnostics) Compile(IEnumerable<GeneratedFile> files, string assemblyName,
        IEnumerable<(string Name, string Text)> resources, params string[] extraSources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Content, parse, path: f.FileName))
            .Concat(extraSources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: $"extra{i}.cs")));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error, warningLevel: 9999)
            .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);
        var (compilation, generatorDiagnostics) = DbOps.CodeGen.Tests.RoslynCompiler.RunGenerators(
            CSharpCompilation.Create(assemblyName, trees, References.Value, options), parse);
        if (generatorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) return (null, generatorDiagnostics);
        using var pe = new MemoryStream();
        using var xml = new MemoryStream();
        var manifest = resources.Select(r => new ResourceDescription($"DbOps.Migrations.{r.Name}",
            () => new MemoryStream(Encoding.UTF8.GetBytes(r.Text)), isPublic: true));
        var result = compilation.Emit(pe, xmlDocumentationStream: xml, manifestResources: manifest);
        var diagnostics = result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden).ToImmutableArray();
        return (result.Success ? pe.ToArray() : null, diagnostics);
    }

    public static TheoryData<string, DbProvider> SchemasAndProviders()
    {
        var data = new TheoryData<string, DbProvider>();
        foreach (var name in TestSchemas.Names)
            foreach (var p in Enum.GetValues<DbProvider>())
                data.Add(name, p);
        return data;
    }

    [Theory]
    [MemberData(nameof(SchemasAndProviders))]
    public void Generated_migrate_methods_compile_without_any_diagnostic(string schemaName, DbProvider provider)
    {
        var schema = TestSchemas.Get(schemaName, provider);
        var options = new CodeGenOptions("My.App.Data");
        var file = MigrationsEmitter.Emit(schema, options);
        Assert.Equal($"{schema.Name}.Migrations.g.cs", file.FileName);
        Assert.Equal(file, MigrationsEmitter.Emit(schema, options));
        Assert.DoesNotContain('\r', file.Content);
        var usage = $$"""
            using System.Threading;
            using System.Threading.Tasks;
            namespace My.App.Data;
            internal static class Usage
            {
                public static async Task Run({{schema.Name}} db, CancellationToken ct)
                {
                    DbOps.Runtime.DbOpsMigrationResult r = await db.MigrateAsync();
                    r = await db.MigrateAsync(ct);
                    r = await db.MigrateAsync(null, ct);
                    r = await db.MigrateAsync(logger: null, cancellationToken: ct);
                    System.Collections.Generic.IReadOnlyList<string> pending = await db.GetPendingMigrationsAsync();
                    pending = await db.GetPendingMigrationsAsync(ct);
                }
            }
            """;
        var files = CSharpGenerator.Generate(schema, options).Append(file).ToList();
        var (_, diagnostics) = Compile(files, "Generated", [], usage);
        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics.Take(20)));
    }

    [Fact]
    public async Task Generated_ShopDb_migrates_a_sqlite_file_from_its_embedded_scripts()
    {
        var schema = TestSchemas.Shop(DbProvider.Sqlite);
        var options = new CodeGenOptions("Shop.Data");
        var files = CSharpGenerator.Generate(schema, options).Append(MigrationsEmitter.Emit(schema, options)).ToList();
        const string usage = """
            using System.Threading.Tasks;
            namespace Shop.Data;
            /// <summary>Test driver.</summary>
            public static class Usage
            {
                /// <summary>Migrates and uses the database.</summary>
                public static async Task<string> Run(string connectionString)
                {
                    await using var db = ShopDb.Create(connectionString);
                    var before = await db.GetPendingMigrationsAsync();
                    var first = await db.MigrateAsync();
                    var second = await db.MigrateAsync(System.Threading.CancellationToken.None);
                    var ann = await db.Customers.InsertAsync(new Customer { Email = "ann@x.io", Name = "Ann" });
                    var after = await db.GetPendingMigrationsAsync();
                    return string.Join(",", before) + "|" + string.Join(",", first.AppliedScripts) + "|" + second.AlreadyAppliedCount
                        + "|" + (await db.Customers.CountAsync()) + "|" + after.Count;
                }
            }
            """;
        (string, string)[] resources =
        [
            ("0001_initial.sql", DdlGenerator.CreateScript(schema, DbProvider.Sqlite)),
            ("0002_add_note.sql", "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL);\n"),
        ];
        var (bytes, diagnostics) = Compile(files, "ShopApp" + Guid.NewGuid().ToString("N"), resources, usage);
        Assert.True(bytes is not null && diagnostics.IsEmpty, string.Join("\n", diagnostics.Take(20)));
        var assembly = Assembly.Load(bytes!);
        using var temp = new TempDirectory("dbops-mig");
        var run = assembly.GetType("Shop.Data.Usage")!.GetMethod("Run")!;
        var outcome = await (Task<string>)run.Invoke(null, [$"Data Source={temp.Combine("shop.db")}"])!;
        Assert.Equal("0001_initial.sql,0002_add_note.sql|0001_initial.sql,0002_add_note.sql|2|1|0", outcome);
        SqliteConnection.ClearAllPools();
    }
}
