using DbOps.CodeGen;
using DbOps.Engine.Output;
using DbOps.Schema;
using DbOps.Schema.Model;
using DbOps.Sql;

namespace DbOps.Engine.Commands;

/// <summary>
/// The build's command: load and validate the schema, then generate C# and the create script into the output
/// folder. Runs on every build whose inputs changed, design-time builds included.
/// </summary>
internal sealed class GenerateCommand(EngineSettings settings, CommandLineOptions options, EngineLog log)
{
    public int Run()
    {
        var schema = SchemaInput.Load(settings, log);
        if (schema is null) return 1;

        var outputs = new OutputSet(settings.OutputDir);
        var ns = settings.Namespace ?? schema.Namespace ?? DefaultNamespace(settings.RootNamespace);
        foreach (var file in CSharpGenerator.Generate(schema, new CodeGenOptions(ns)))
            outputs.Add(file.FileName, file.Content);
        var providerName = EngineSettings.ProviderName(schema.Provider);
        outputs.Add($"schema.{providerName}.sql", DdlGenerator.CreateScript(schema, schema.Provider));

        if (log.Errors > 0) return 1;
        var result = outputs.Commit();
        log.Info($"DbOps: {schema.Name} ({providerName}): {Count(schema.Entities.Count, "entity", "entities")}, " +
                 $"{Count(schema.Enums.Count, "enum", "enums")}, {Count(schema.Queries.Count, "query", "queries")} -> " +
                 $"{Path.GetRelativePath(settings.ProjectDir, settings.OutputDir)} ({result.Written} written, {result.Unchanged} unchanged)" +
                 (options.DesignTime ? " [design-time]" : ""));
        return 0;
    }

    private static string DefaultNamespace(string rootNamespace) =>
        string.IsNullOrWhiteSpace(rootNamespace) ? "Data" : rootNamespace + ".Data";

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}

/// <summary>Reads the project's schema files and runs the loader; reports every diagnostic.</summary>
internal static class SchemaInput
{
    public static SchemaModel? Load(EngineSettings settings, EngineLog log)
    {
        var sources = new List<SchemaSource>();
        foreach (var relative in settings.Schemas)
        {
            var full = settings.FullPath(relative);
            if (!File.Exists(full))
            {
                log.Report(EngineDiagnostics.SchemaFileNotFound(relative));
                continue;
            }
            sources.Add(new SchemaSource(relative, File.ReadAllText(full)));
        }
        if (log.Errors > 0) return null;
        var result = SchemaLoader.Load(sources, settings.Provider);
        log.ReportAll(result.Diagnostics);
        return result.HasErrors ? null : result.Model;
    }
}
