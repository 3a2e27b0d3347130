using System.Collections.Immutable;
using DbOps.CodeGen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DbOps.CodeGen.Tests;

/// <summary>Compiles generated files in memory against the runtime and driver assemblies, as a user project would.</summary>
public static class RoslynCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The test host's trusted platform assemblies: the framework plus every dependency of this project
        // (DbOps.Runtime, Microsoft.Data.Sqlite, Npgsql, Microsoft.Data.SqlClient, ...).
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        _ = typeof(DbOps.Runtime.DbOpsException);
        return [.. tpa.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(p => MetadataReference.CreateFromFile(p))];
    });

    /// <summary>
    /// The [GeneratedRegex] source generator of the targeting pack, as the SDK runs it in a real build (generated
    /// entities declare <c>partial</c> regex methods for <c>pattern:</c>).
    /// </summary>
    private static readonly Lazy<ISourceGenerator[]> Generators = new(() =>
    {
        // <dotnet>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/analyzers/dotnet/cs
        var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var packs = Path.Combine(runtime.Parent!.Parent!.Parent!.FullName, "packs", "Microsoft.NETCore.App.Ref");
        var major = Environment.Version.Major + ".";
        var generator = Directory.GetDirectories(packs).Where(d => Path.GetFileName(d).StartsWith(major, StringComparison.Ordinal))
            .Select(d => Path.Combine(d, "analyzers", "dotnet", "cs", "System.Text.RegularExpressions.Generator.dll"))
            .Where(File.Exists).OrderBy(p => p, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException($"System.Text.RegularExpressions.Generator.dll not found under {packs}");
        return [.. new Microsoft.CodeAnalysis.Diagnostics.AnalyzerFileReference(generator, AnalyzerLoader.Instance).GetGenerators(LanguageNames.CSharp)];
    });

    private sealed class AnalyzerLoader : Microsoft.CodeAnalysis.IAnalyzerAssemblyLoader
    {
        public static readonly AnalyzerLoader Instance = new();
        public void AddDependencyLocation(string fullPath) { }
        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }

    /// <summary>Runs the source generators a real build runs (the [GeneratedRegex] generator) over a compilation.</summary>
    public static (Compilation Compilation, ImmutableArray<Diagnostic> Diagnostics) RunGenerators(Compilation compilation, CSharpParseOptions parse)
    {
        CSharpGeneratorDriver.Create(Generators.Value).WithUpdatedParseOptions(parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var updated, out var diagnostics);
        return (updated, diagnostics);
    }

    public static (Compilation Compilation, ImmutableArray<Diagnostic> Diagnostics) Compile(IEnumerable<GeneratedFile> files, string assemblyName = "Generated", params string[] extraSources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Content, parse, path: f.FileName))
            .Concat(extraSources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: $"extra{i}.cs")));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            generalDiagnosticOption: ReportDiagnostic.Error,
            warningLevel: 9999,
            optimizationLevel: OptimizationLevel.Release,
            deterministic: true)
            // The .NET SDK always passes NoWarn 1701;1702 (assembly unification notes), so does this.
            .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);
        var (compilation, generatorDiagnostics) = RunGenerators(CSharpCompilation.Create(assemblyName, trees, References.Value, options), parse);
        if (generatorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) return (compilation, generatorDiagnostics);
        using var pe = new MemoryStream();
        using var xml = new MemoryStream();
        var result = compilation.Emit(pe, xmlDocumentationStream: xml);
        return (compilation, [.. result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden)]);
    }

    public static string Format(IEnumerable<Diagnostic> diagnostics, IEnumerable<GeneratedFile> files)
    {
        var byName = files.ToDictionary(f => f.FileName, f => f.Content.Split('\n'));
        return string.Join("\n", diagnostics.Take(30).Select(d =>
        {
            var span = d.Location.GetLineSpan();
            var line = span.Path is not null && byName.TryGetValue(span.Path, out var lines) && span.StartLinePosition.Line < lines.Length
                ? lines[span.StartLinePosition.Line].Trim() : "";
            return $"{d}\n    > {line}";
        }));
    }
}
