using DbOps.CodeGen;
using DbOps.CodeGen.Hosting;
using DbOps.CodeGen.Migrations;
using DbOps.CodeGen.Verification;
using DbOps.Engine.Migrations;
using DbOps.Engine.Output;
using DbOps.Engine.QueryCheck;
using DbOps.Schema;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;
using DbOps.Sql;
using DbOps.Sql.LiveSchema;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Commands;

/// <summary>
/// The build's command: load and validate the schema, generate C# and the create script, verify the committed
/// migrations and compare the schema with their snapshot (the drift gate). Runs on every build whose inputs
/// changed, design-time builds included (which never fail on drift).
/// </summary>
internal sealed class GenerateCommand(EngineSettings settings, CommandLineOptions options, EngineLog log)
{
    public const string PendingFileName = "pending.sql";
    public const string DriftReportFileName = "drift.md";
    public const string DatabaseClassFileName = "database.txt";

    public int Run()
    {
        var timer = StageTimer.FromEnvironment(log);
        // EF Core's first start overlaps the YAML parse (the targets already know the provider: DbOpsProvider or provider:).
        if (DbProviders.TryParse(settings.Provider ?? settings.ReferencedProvider, ignoreCase: true, out var expected))
            EfWarmup.Start(expected);
        var schema = SchemaInput.Load(settings, log, out var sources);
        timer.Mark("load + validate");
        if (schema is null) return 1;
        var providerName = DbProviders.Name(schema.Provider);
        // The generated code needs the driver of its provider; the targets chose the runtime package before the schema was read.
        if (settings.ReferencedProvider is { } referenced && referenced != providerName)
        {
            log.Report(EngineDiagnostics.ProviderNotReferenced(schema.ProviderLocation, providerName, referenced));
            return 1;
        }
        // The EF Core model (the create script's and the verification shape's source) is built on a second thread
        // while the C# is emitted on this one; both only read the immutable schema.
        var relational = Task.Run(() => (Shape: ExpectedShape.Build(schema, schema.Provider), Script: DdlGenerator.CreateScript(schema, schema.Provider)));
        // Named queries are prepared against an in-memory SQLite database built from the schema (DBOPS5xxx).
        // Design-time builds skip it: IntelliSense needs the types, not the SQL verdict.
        if (!options.DesignTime) log.ReportAll(SqliteQueryChecker.Check(schema, sources));
        timer.Mark("query check");

        var outputs = new OutputSet(settings.OutputDir);
        var ns = settings.Namespace ?? schema.Namespace ?? DefaultNamespace(settings.RootNamespace);
        var codeOptions = new CodeGenOptions(ns);
        foreach (var file in CSharpGenerator.Generate(schema, codeOptions))
            outputs.Add(file.FileName, file.Content);
        var migrations = MigrationsEmitter.Emit(schema, codeOptions);
        outputs.Add(migrations.FileName, migrations.Content);
        if (settings.Hosting)
        {
            var hosting = HostingEmitter.Emit(schema, codeOptions);
            outputs.Add(hosting.FileName, hosting.Content);
        }
        timer.Mark("C#");
        var (expectedShape, createScript) = relational.GetAwaiter().GetResult();
        timer.Mark("EF model + create script (rest after the C#)");
        var shape = SchemaShapeEmitter.Emit(schema, expectedShape, codeOptions);
        outputs.Add(shape.FileName, shape.Content);
        outputs.Add($"schema.{providerName}.sql", createScript);
        outputs.Add(SchemaDiagram.FileName, SchemaDiagram.Markdown(schema));
        // The generated database class, for the DbOpsBundle target's migrator (Sdk/Bundle/Program.cs).
        outputs.Add(DatabaseClassFileName, $"{ns}.{schema.Name}\n");
        timer.Mark("shape C# + diagram");

        var driftPending = CheckMigrations(schema, outputs, out var driftSummary);
        timer.Mark("migrations + drift");

        // Outputs are committed even when drift is reported: the generated code is valid and IntelliSense needs it.
        // Without the stamp, the next build runs the engine again and reports the drift again (also after a
        // design-time build, which only warns).
        var result = outputs.Commit(writeStamp: log.Errors == 0 && !(driftPending && settings.DriftCheck == "error"));
        timer.Mark("write");
        log.Info($"DbOps: {schema.Name} ({providerName}): {Count(schema.Entities.Count, "entity", "entities")}, " +
                 $"{Count(schema.Enums.Count, "enum", "enums")}, {Count(schema.Queries.Count, "query", "queries")} -> " +
                 $"{Path.GetRelativePath(settings.ProjectDir, settings.OutputDir)} ({result.Written} written, {result.Unchanged} unchanged); {driftSummary}" +
                 (options.DesignTime ? " [design-time]" : ""));
        return log.Errors > 0 ? 1 : 0;
    }

    /// <summary>Integrity of the migrations folder (errors reported), then the drift gate. True when changes are pending.</summary>
    private bool CheckMigrations(SchemaModel schema, OutputSet outputs, out string summary)
    {
        var folder = new MigrationFolder(settings.ProjectDir, settings.MigrationsDir);
        var integrity = folder.Verify();
        log.ReportAll(integrity);
        if (settings.DriftCheck == "off")
        {
            summary = "drift check off";
            return false;
        }
        var snapshot = SnapshotInput.Load(folder, schema.Provider, log, out var snapshotFailed);
        if (snapshotFailed)
        {
            summary = "snapshot unreadable";
            return false;
        }
        var migrationOptions = settings.MigrationOptions(log);
        if (migrationOptions is null)
        {
            summary = "invalid migration settings";
            return false;
        }
        var plan = MigrationPlanner.Plan(snapshot, schema, schema.Provider, migrationOptions);
        if (plan.IsEmpty)
        {
            summary = $"in sync with {folder.Migrations.Count} migration{(folder.Migrations.Count == 1 ? "" : "s")}";
            return false;
        }

        var pending = plan.Script("pending", settings.AllowDataLoss);
        outputs.Add(PendingFileName, pending);
        var changedEntities = plan.Changes.Select(c => c.Entity).OfType<string>().ToHashSet(StringComparer.Ordinal);
        outputs.Add(DriftReportFileName, DriftReport.Markdown(schema.Name, plan.Changes, pending, initial: snapshot is null,
            diagram: SchemaDiagram.Changed(schema, changedEntities)));
        var pendingPath = Path.Combine(Path.GetRelativePath(settings.ProjectDir, settings.OutputDir), PendingFileName).Replace('\\', '/');
        var fails = settings.DriftCheck == "error" && !options.DesignTime;
        var first = plan.Changes[0].Location;
        log.Report(MigrationDiagnostics.Drift(first.Line > 0 ? first : schema.Location, fails ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            plan.Changes.Select(c => c.Description).ToList(), pendingPath));
        // At the changed nodes, while the change is being written: what it means for a live database and the running release.
        ChangeNotes.Report(plan, settings.BreakingChanges, live: null, log, errorsAllowed: false);
        summary = $"{plan.Changes.Count} pending change{(plan.Changes.Count == 1 ? "" : "s")}";
        return true;
    }

    private static string DefaultNamespace(string rootNamespace) =>
        string.IsNullOrWhiteSpace(rootNamespace) ? "Data" : rootNamespace + ".Data";

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}

/// <summary>Reads the project's schema files and runs the loader; reports every diagnostic.</summary>
internal static class SchemaInput
{
    public static SchemaModel? Load(EngineSettings settings, EngineLog log) => Load(settings, log, out _);

    public static SchemaModel? Load(EngineSettings settings, EngineLog log, out IReadOnlyList<SchemaSource> loaded)
    {
        var sources = new List<SchemaSource>();
        loaded = sources;
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

/// <summary>DBOPS_TIMINGS=1 prints how long each stage of the engine took (for performance work).</summary>
internal sealed class StageTimer
{
    private readonly EngineLog? _log;
    private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();

    private StageTimer(EngineLog? log) => _log = log;

    public static StageTimer FromEnvironment(EngineLog log) =>
        new(Environment.GetEnvironmentVariable("DBOPS_TIMINGS") == "1" ? log : null);

    public void Mark(string stage)
    {
        if (_log is null) return;
        _log.Info($"DbOps timing: {stage} {_watch.Elapsed.TotalMilliseconds:0} ms (process up {(DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds:0} ms)");
        _watch.Restart();
    }
}
