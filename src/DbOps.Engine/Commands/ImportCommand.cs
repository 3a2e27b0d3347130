using DbOps.Engine.Live;
using DbOps.Engine.Migrations;
using DbOps.Engine.Output;
using DbOps.Runtime;
using DbOps.Schema;
using DbOps.Schema.Model;
using DbOps.Schema.Snapshot;
using DbOps.Sql.LiveSchema;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Commands;

/// <summary>
/// DbOpsImport: reads a live database and writes dbops.yaml, Migrations/0001_baseline.sql (the create script, with the
/// baseline header <see cref="DbOpsMigrationScript.FormatBaselineHeader"/>), the snapshot and the sum, so that the next
/// build is in sync and MigrateAsync records the baseline on that database without running it. Refuses to overwrite a
/// schema or migrations (DBOPS4001) unless --force. Writes nothing when anything fails.
/// </summary>
internal sealed class ImportCommand(EngineSettings settings, CommandLineOptions options, EngineLog log)
{
    public const string BaselineName = "0001_baseline";

    public int Run()
    {
        var providerName = (settings.Provider ?? "sqlite").ToLowerInvariant();
        if (!DbProviders.TryParse(providerName, ignoreCase: true, out var provider))
            throw new EngineException(EngineDiagnostics.PropertyInvalid("DbOpsProvider", providerName, "sqlite, postgresql or sqlserver"));
        var schemaPath = Path.Combine(settings.ProjectDir, "dbops.yaml");
        var folder = new MigrationFolder(settings.ProjectDir, settings.MigrationsDir);
        var existing = Directory.Exists(folder.FullDir)
            ? Directory.GetFiles(folder.FullDir).Where(f => f.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(f).StartsWith("dbops.", StringComparison.Ordinal)).ToList()
            : [];
        if (!options.Force)
        {
            if (File.Exists(schemaPath)) log.Report(ImportDiagnostics.WouldOverwrite("dbops.yaml"));
            foreach (var s in settings.Schemas.Where(s => !s.Equals("dbops.yaml", StringComparison.OrdinalIgnoreCase)))
                log.Report(ImportDiagnostics.WouldOverwrite(s));
            if (existing.Count > 0) log.Report(ImportDiagnostics.WouldOverwrite(folder.RelativeDir));
            if (log.Errors > 0) return 1;
        }
        if (LiveDatabase.ConnectionString is not { } connectionString)
        {
            log.Report(ImportDiagnostics.NoConnectionString());
            return 1;
        }
        var migrationOptions = settings.MigrationOptions(log);
        if (migrationOptions is null) return 1;

        ImportResult imported;
        using (var connection = LiveDatabase.Open(provider, connectionString, settings.ProjectDir, readOnly: true,
                   message => log.Report(ImportDiagnostics.ConnectionFailed(providerName, message))))
        {
            if (connection is null) return 1;
            try
            {
                imported = SchemaImporter.Import(connection, provider, DatabaseName());
            }
            catch (System.Data.Common.DbException e)
            {
                log.Report(ImportDiagnostics.ConnectionFailed(providerName, LiveDatabase.Redact(connectionString, e.Message)));
                return 1;
            }
        }
        foreach (var w in imported.Warnings) log.Report(ImportDiagnostics.For(w));
        if (imported.Tables.Count == 0)
        {
            log.Report(ImportDiagnostics.NothingToImport(providerName));
            return 1;
        }

        // The written dbops.yaml is validated exactly as the next build will read it.
        var loaded = SchemaLoader.Load([new SchemaSource("dbops.yaml", imported.Yaml)]);
        if (loaded.HasErrors || loaded.Model is not { } schema)
        {
            log.Report(ImportDiagnostics.ImportedSchemaInvalid(string.Join("; ", loaded.Diagnostics.Where(d => d.IsError).Select(d => d.ToCanonicalString()))));
            return 1;
        }
        var plan = MigrationPlanner.Plan(null, schema, provider, migrationOptions);
        var script = DbOpsMigrationScript.FormatBaselineHeader(imported.Tables) + "\n" + plan.Script(BaselineName, false);

        foreach (var file in existing) File.Delete(file);
        Directory.CreateDirectory(folder.FullDir);
        OutputSet.WriteIfChanged(schemaPath, imported.Yaml);
        OutputSet.WriteIfChanged(Path.Combine(folder.FullDir, BaselineName + ".sql"), script);
        OutputSet.WriteIfChanged(folder.SnapshotFullPath, SnapshotWriter.Write(schema));
        OutputSet.WriteIfChanged(folder.SumFullPath, MigrationFolder.ComputeSum(folder.FullDir));
        log.Info($"DbOps: imported {imported.Tables.Count} table{(imported.Tables.Count == 1 ? "" : "s")} from the {providerName} database into dbops.yaml " +
                 $"and {folder.RelativeDir}/{BaselineName}.sql (a baseline: MigrateAsync records it on this database without running it)" +
                 (imported.Warnings.Count > 0 ? $"; {imported.Warnings.Count} object(s) not imported, see the warnings" : "") + ". Review and commit them.");
        return 0;
    }

    /// <summary>The database class name: the last part of the root namespace, PascalCase, with "Db".</summary>
    private string DatabaseName()
    {
        var last = settings.RootNamespace.Split('.', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "App";
        var name = SchemaImporter.LogicalName(last, typeName: true);
        return name.EndsWith("Db", StringComparison.Ordinal) ? name : name + "Db";
    }
}
