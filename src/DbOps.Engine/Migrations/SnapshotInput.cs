using DbOps.Schema;
using DbOps.Schema.Model;

namespace DbOps.Engine.Migrations;

/// <summary>Loads Migrations/dbops.snapshot.yaml (a normalized dbops schema) with the same loader as dbops.yaml.</summary>
internal static class SnapshotInput
{
    /// <summary>Null when there is no snapshot yet (an empty schema: everything is pending).</summary>
    public static SchemaModel? Load(MigrationFolder folder, DbProvider provider, EngineLog log, out bool failed)
    {
        failed = false;
        if (!folder.HasSnapshot) return null;
        var result = SchemaLoader.Load([new SchemaSource(folder.SnapshotRelativePath, File.ReadAllText(folder.SnapshotFullPath))],
            DbProviders.Name(provider));
        // Advice warnings about the snapshot are noise; its errors mean it was damaged.
        log.ReportAll(result.Diagnostics.Where(d => d.IsError));
        failed = result.HasErrors;
        return result.Model;
    }
}
