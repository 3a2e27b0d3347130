using DbOps.Engine.Migrations;
using DbOps.Engine.Output;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Snapshot;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Commands;

/// <summary>
/// DbOpsAddMigration: writes Migrations/NNNN_name.sql, the new dbops.snapshot.yaml and dbops.sum, so that the next
/// build passes the drift gate. Refuses dangerous changes (DBOPS3xxx) unless DbOpsAllowDataLoss=true.
/// </summary>
internal sealed class AddMigrationCommand(EngineSettings settings, CommandLineOptions options, EngineLog log)
{
    public int Run()
    {
        var stem = MigrationNames.FileStem(options.Name);
        if (stem is null)
        {
            log.Report(MigrationDiagnostics.MigrationNameInvalid(options.Name ?? ""));
            return 1;
        }
        var schema = SchemaInput.Load(settings, log);
        if (schema is null) return 1;
        var folder = new MigrationFolder(settings.ProjectDir, settings.MigrationsDir);
        log.ReportAll(folder.Verify());
        var snapshot = SnapshotInput.Load(folder, schema.Provider, log, out _);
        var migrationOptions = settings.MigrationOptions(log);
        if (log.Errors > 0 || migrationOptions is null) return 1;

        var plan = MigrationPlanner.Plan(snapshot, schema, schema.Provider, migrationOptions);
        if (plan.IsEmpty)
        {
            log.Info($"DbOps: {schema.Name} has no changes since the last migration; nothing to add.");
            return 0;
        }
        foreach (var change in plan.Dangerous)
        {
            // Advice (e.g. an index that locks writes) warns; data loss and data-dependent changes need the allowance.
            var d = change.Danger!;
            var refused = d.Blocking && !settings.AllowDataLoss;
            var suffix = !d.Blocking ? "" : settings.AllowDataLoss ? " Allowed by DbOpsAllowDataLoss; recorded in the script header." : $" To allow it: {d.HowToAllow}.";
            log.Report(MigrationDiagnostics.Change(d.Code, refused ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, change.Location,
                change.Description, d.Reason + suffix));
        }
        using (var live = LiveTableSizes.FromEnvironment(schema.Provider))
            ChangeNotes.Report(plan, settings.BreakingChanges, live, log);
        if (log.Errors > 0) return 1;

        var fileName = $"{folder.NextNumber:0000}_{stem}.sql";
        Directory.CreateDirectory(folder.FullDir);
        OutputSet.WriteIfChanged(Path.Combine(folder.FullDir, fileName), plan.Script(Path.GetFileNameWithoutExtension(fileName), settings.AllowDataLoss));
        OutputSet.WriteIfChanged(folder.SnapshotFullPath, SnapshotWriter.Write(schema));
        OutputSet.WriteIfChanged(folder.SumFullPath, MigrationFolder.ComputeSum(folder.FullDir));
        log.Info($"DbOps: wrote {folder.RelativeDir}/{fileName} ({plan.Changes.Count} change{(plan.Changes.Count == 1 ? "" : "s")}), " +
                 $"{folder.SnapshotRelativePath} and {folder.SumRelativePath}. Review and commit them.");
        return 0;
    }
}

/// <summary>DbOpsRehash: recomputes dbops.sum after a deliberate, reviewed change to the folder.</summary>
internal sealed class RehashCommand(EngineSettings settings, EngineLog log)
{
    public int Run()
    {
        var folder = new MigrationFolder(settings.ProjectDir, settings.MigrationsDir);
        if (!Directory.Exists(folder.FullDir))
        {
            log.Info($"DbOps: there is no {folder.RelativeDir} folder; nothing to hash.");
            return 0;
        }
        OutputSet.WriteIfChanged(folder.SumFullPath, MigrationFolder.ComputeSum(folder.FullDir));
        log.Info($"DbOps: rewrote {folder.SumRelativePath} for {folder.Migrations.Count} migration(s).");
        return 0;
    }
}
