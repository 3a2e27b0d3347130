using DbOps.CodeGen.Migrations;
using DbOps.Schema;
using DbOps.Schema.Model;

namespace DbOps.CodeGen.Tests;

/// <summary>
/// The generated C# of the sample schema (samples/Shop/dbops.yaml), per provider, is committed under Baselines/, so
/// every change to generated code, size included, shows in review. After an intended change, rewrite them with
/// <c>DBOPS_UPDATE_BASELINES=1 dotnet test tests/DbOps.CodeGen.Tests --filter BaselineTests</c> and commit the diff.
/// </summary>
public class BaselineTests
{
    private const string UpdateVariable = "DBOPS_UPDATE_BASELINES";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    [InlineData("sqlserver")]
    public void Generated_code_of_the_sample_matches_the_committed_baseline(string provider)
    {
        var root = RepositoryRoot();
        var yaml = Path.Combine(root, "samples", "Shop", "dbops.yaml");
        var result = SchemaLoader.Load([new SchemaSource("dbops.yaml", File.ReadAllText(yaml))], provider);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var schema = result.Model!;
        var options = new CodeGenOptions(schema.Namespace ?? "Shop.Data");
        var files = CSharpGenerator.Generate(schema, options).Append(MigrationsEmitter.Emit(schema, options)).ToList();

        var dir = Path.Combine(root, "tests", "DbOps.CodeGen.Tests", "Baselines", provider);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            Directory.CreateDirectory(dir);
            foreach (var f in files) File.WriteAllText(Path.Combine(dir, f.FileName), f.Content);
        }
        var hint = $"Generated code changed; if intended, run with {UpdateVariable}=1 and commit tests/DbOps.CodeGen.Tests/Baselines.";
        Assert.True(Directory.Exists(dir), $"{dir} is missing. {hint}");
        Assert.Equal(files.Select(f => f.FileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var f in files)
        {
            var committed = File.ReadAllText(Path.Combine(dir, f.FileName)).Replace("\r\n", "\n");
            Assert.True(committed == f.Content, $"{provider}/{f.FileName}: {FirstDifference(committed, f.Content)}. {hint}");
        }
    }

    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "<end>";
            var y = i < b.Length ? b[i] : "<end>";
            if (x != y) return $"line {i + 1}: committed `{x.Trim()}`, generated `{y.Trim()}`";
        }
        return "no line differs";
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DbOps.Build.sln"))) return dir.FullName;
        throw new InvalidOperationException("DbOps.Build.sln not found above " + AppContext.BaseDirectory);
    }
}
