using DbOps.Engine.Migrations;
using DbOps.Engine.Output;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Snapshot;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Commands;

/// <summary>
/// DbOpsAddMigration: writes Migrations/NNNN_name.sql, the new dbops.snapshot.yaml and dbops.sum, so that the next
/// build passes the drift gate. Refuses dangerous changes (DBOPS3xxx) unless DbOpsAllowDataLoss=true.
/// DbOpsMigrationKind=data writes a hand-written data migration instead (snapshot unchanged), schema+data a generated
/// one followed by a data section; the name of the latest migration re-sums its edited data section.
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
        var kind = string.IsNullOrWhiteSpace(options.Kind) ? "schema" : options.Kind.Trim().ToLowerInvariant();
        if (kind is not ("schema" or "data" or "schema+data"))
        {
            log.Report(MigrationDiagnostics.MigrationKindInvalid(options.Kind!));
            return 1;
        }
        var folder = new MigrationFolder(settings.ProjectDir, settings.MigrationsDir);
        if (folder.Migrations.LastOrDefault(m => m.Stem == stem) is { } existing) return Resum(folder, existing);
        var schema = SchemaInput.Load(settings, log);
        if (schema is null) return 1;
        log.ReportAll(folder.Verify());
        var snapshot = SnapshotInput.Load(folder, schema.Provider, log, out _);
        var migrationOptions = settings.MigrationOptions(log);
        if (log.Errors > 0 || migrationOptions is null) return 1;

        var plan = MigrationPlanner.Plan(snapshot, schema, schema.Provider, migrationOptions);
        if (kind == "data") return AddData(folder, stem, schema, plan);
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
        var script = plan.Script(Path.GetFileNameWithoutExtension(fileName), settings.AllowDataLoss);
        if (kind == "schema+data") script = DataSection.WithDataSection(script, stem);
        OutputSet.WriteIfChanged(Path.Combine(folder.FullDir, fileName), script);
        OutputSet.WriteIfChanged(folder.SnapshotFullPath, SnapshotWriter.Write(schema));
        OutputSet.WriteIfChanged(folder.SumFullPath, MigrationFolder.ComputeSum(folder.FullDir));
        log.Info($"DbOps: wrote {folder.RelativeDir}/{fileName} ({plan.Changes.Count} change{(plan.Changes.Count == 1 ? "" : "s")}), " +
                 $"{folder.SnapshotRelativePath} and {folder.SumRelativePath}. Review and commit them." +
                 (kind == "schema+data" ? $" Write the data SQL below its {MigrationScript.DataMarker} line, then run this target again with the same name to re-sum it." : ""));
        return 0;
    }

    /// <summary>DbOpsMigrationKind=data: the next numbered script with a header and an empty body; the snapshot stays as it is.</summary>
    private int AddData(MigrationFolder folder, string stem, Schema.Model.SchemaModel schema, MigrationPlan plan)
    {
        var fileName = $"{folder.NextNumber:0000}_{stem}.sql";
        Directory.CreateDirectory(folder.FullDir);
        OutputSet.WriteIfChanged(Path.Combine(folder.FullDir, fileName), DataSection.DataMigration(Path.GetFileNameWithoutExtension(fileName), stem, schema.Provider));
        OutputSet.WriteIfChanged(folder.SumFullPath, MigrationFolder.ComputeSum(folder.FullDir));
        log.Info($"DbOps: wrote the data migration {folder.RelativeDir}/{fileName} and {folder.SumRelativePath}; {folder.SnapshotRelativePath} is unchanged. " +
                 $"Write its SQL below the {MigrationScript.DataMarker} line, then run this target again with the same name to re-sum it." +
                 (plan.IsEmpty ? "" : $" The schema still has {plan.Changes.Count} pending change(s); they are not part of this migration."));
        return 0;
    }

    /// <summary>
    /// The name of an existing migration: re-sum its edited data section. Only the latest migration (a database may have
    /// applied an earlier one), only below its dbops:data line, and only when everything else in the folder verifies.
    /// </summary>
    private int Resum(MigrationFolder folder, MigrationFile migration)
    {
        var latest = folder.Migrations[^1];
        var problems = folder.Verify();
        var edited = problems.Any(p => p.Code == "DBOPS2002" && p.Location.File == migration.RelativePath);
        if (!edited)
        {
            log.ReportAll(problems);
            if (log.Errors > 0) return 1;
            log.Info($"DbOps: {migration.RelativePath} already exists and is unchanged since it was summed; nothing to re-sum. " +
                     "Pick another DbOpsMigrationName for a new migration.");
            return 0;
        }
        if (migration != latest) { log.Report(MigrationDiagnostics.ResumNotLatest(migration.RelativePath, latest.RelativePath)); return 1; }
        var (hasSection, intact) = DataSection.Inspect(File.ReadAllText(migration.FullPath));
        if (!hasSection) { log.Report(MigrationDiagnostics.NoDataSection(migration.RelativePath)); return 1; }
        if (!intact) { log.Report(MigrationDiagnostics.AboveDataSectionEdited(migration.RelativePath)); return 1; }
        log.ReportAll(problems.Where(p => !(p.Code == "DBOPS2002" && p.Location.File == migration.RelativePath)));
        if (log.Errors > 0) return 1;
        OutputSet.WriteIfChanged(folder.SumFullPath, MigrationFolder.ComputeSum(folder.FullDir));
        log.Info($"DbOps: re-summed {migration.RelativePath} (its hand-written data section changed) in {folder.SumRelativePath}. " +
                 "Review and commit both; a database that already applied the old text refuses it at MigrateAsync.");
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
