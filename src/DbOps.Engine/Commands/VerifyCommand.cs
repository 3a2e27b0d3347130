using System.Data.Common;
using System.Text;
using DbOps.Engine.Live;
using DbOps.Engine.Migrations;
using DbOps.Runtime;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;
using DbOps.Sql.LiveSchema;

namespace DbOps.Engine.Commands;

/// <summary>
/// <c>dotnet build -t:DbOpsVerify</c>: is this live database what the committed migrations say? The journal (applied
/// scripts this checkout does not have, applied scripts edited since, pending ones), then the structure, read from the
/// catalog by the run-time reader of the provider and compared by <see cref="DbOpsSchemaComparer"/> (the same comparison
/// as the generated <c>db.VerifySchemaAsync()</c>) with the structure of the snapshot of the last applied migration.
/// Reads only. Every difference is a DBOPS4xxx error and a row of <c>obj/.../dbops/live-drift.md</c>.
/// </summary>
internal sealed class VerifyCommand(EngineSettings settings, EngineLog log)
{
    public const string ReportFileName = "live-drift.md";

    public int Run()
    {
        var schema = SchemaInput.Load(settings, log);
        if (schema is null) return 1;
        var provider = schema.Provider;
        var folder = new MigrationFolder(settings.ProjectDir, settings.MigrationsDir);
        if (folder.Migrations.Count == 0)
        {
            log.Report(LiveDiagnostics.NoMigrations(folder.RelativeDir));
            return 1;
        }
        var connectionString = Environment.GetEnvironmentVariable(LiveTableSizes.ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            log.Report(LiveDiagnostics.NoConnectionString());
            return 1;
        }
        var secrets = new ConnectionSecrets(connectionString);
        var services = Services(provider);
        var reportPath = Path.Combine(Path.GetRelativePath(settings.ProjectDir, settings.OutputDir), ReportFileName).Replace('\\', '/');

        IReadOnlyDictionary<string, string>? journal;
        DbOpsSchemaShape? live = null;
        DbOpsSchemaReport? structure = null;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var dataSource = services.CreateDataSource(connectionString);
            using var connection = services.OpenExistingAsync(dataSource, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (connection is null)
            {
                log.Report(LiveDiagnostics.CannotConnect(secrets.Target, "the database file does not exist."));
                return 1;
            }
            journal = DbOpsMigrator.ReadAppliedAsync(connection, services.Provider).GetAwaiter().GetResult();
            live = services.SchemaReader.ReadAsync(connection).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is DbException or ArgumentException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException or IOException)
        {
            log.Report(LiveDiagnostics.CannotConnect(secrets.Target, secrets.Redact(Messages(e))));
            return 1;
        }

        // The journal against the folder; the checksum is the migrator's own (DbOpsMigrationScript.ComputeChecksum).
        var applied = journal ?? new Dictionary<string, string>();
        var files = folder.Migrations.ToDictionary(m => m.FileName, StringComparer.Ordinal);
        var journalLines = new List<string>();
        foreach (var (name, checksum) in applied.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!files.TryGetValue(name, out var file))
            {
                log.Report(LiveDiagnostics.UnknownApplied(new SourceLocation(Path.Combine(folder.RelativeDir, name).Replace('\\', '/'), 0, 0), name, folder.RelativeDir));
                journalLines.Add($"- **{name}** is applied to the database but is not in `{folder.RelativeDir}` (DBOPS4042).");
                continue;
            }
            var fileChecksum = DbOpsMigrationScript.ComputeChecksum(File.ReadAllText(file.FullPath));
            if (!string.Equals(fileChecksum, checksum, StringComparison.Ordinal))
            {
                log.Report(LiveDiagnostics.AppliedScriptEdited(new SourceLocation(file.RelativePath, 0, 0), name, checksum, fileChecksum));
                journalLines.Add($"- **{name}** was edited after it was applied (DBOPS4043): restore the applied version, put the change into a new migration.");
            }
        }
        var pending = folder.Migrations.Where(m => !applied.ContainsKey(m.FileName)).Select(m => m.FileName).ToList();
        var lastApplied = folder.Migrations.LastOrDefault(m => applied.ContainsKey(m.FileName));
        if (pending.Count > 0)
        {
            log.Report(LiveDiagnostics.Pending(new SourceLocation(folder.RelativeDir, 0, 0), pending, lastApplied?.FileName));
            journalLines.Add($"- {pending.Count} pending (DBOPS4044): {string.Join(", ", pending)}. Apply them with `await db.MigrateAsync()`; the structure is compared after that.");
        }
        var journalFailed = log.Errors > 0;

        // The structure, when the database is at the latest migration (the snapshot describes that one).
        string source = lastApplied is null ? "the migrations" : $"migration {lastApplied.FileName[..4]}";
        if (pending.Count == 0 && !journalFailed && lastApplied is not null)
        {
            var snapshot = SnapshotInput.Load(folder, provider, log, out var snapshotFailed);
            if (snapshotFailed) return 1;
            var expected = ExpectedShape.Build(snapshot ?? schema, provider);
            structure = DbOpsSchemaComparer.Compare(expected, live!, source, services.SchemaReader);
            foreach (var d in structure.Differences)
                log.Report(LiveDiagnostics.Difference(Location(schema, d), d, reportPath));
        }

        WriteReport(schema, secrets.Target, source, lastApplied?.RelativePath, applied.Count, journalLines, structure);
        var seconds = watch.Elapsed.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        if (log.Errors == 0)
            log.Info(structure is { InSync: true }
                ? $"DbOps: the database matches {source} ({structure.Tables} tables, {applied.Count} applied migration{(applied.Count == 1 ? "" : "s")}; {seconds} s); report: {reportPath}"
                : $"DbOps: the database has {pending.Count} pending migration{(pending.Count == 1 ? "" : "s")}; structure not compared; report: {reportPath}");
        else
            log.Info($"DbOps: the database differs from {source}: {log.Errors} error{(log.Errors == 1 ? "" : "s")}; report: {reportPath}");
        return log.Errors > 0 ? 1 : 0;
    }

    private static DbOpsProviderServices Services(DbProvider provider) => provider switch
    {
        DbProvider.PostgreSql => DbOpsPostgreSqlServices.Instance,
        DbProvider.SqlServer => DbOpsSqlServerServices.Instance,
        _ => DbOpsSqliteServices.Instance,
    };

    // The entity (or column) of dbops.yaml that the difference is about, else the schema file.
    private static SourceLocation Location(SchemaModel schema, DbOpsSchemaDifference d)
    {
        var entity = schema.Entities.FirstOrDefault(e => e.Table == d.Table);
        if (entity is null) return schema.Location;
        if (d.Kind is DbOpsSchemaDifferenceKind.Column or DbOpsSchemaDifferenceKind.ColumnType or DbOpsSchemaDifferenceKind.ColumnNullability
            or DbOpsSchemaDifferenceKind.ColumnDefault && entity.Columns.FirstOrDefault(c => d.Object == $"{d.Table}.{c.ColumnName}") is { } column)
            return column.Location;
        return entity.Location;
    }

    // The driver's message and the ones it wraps ("Failed to connect to 127.0.0.1:1: Connection refused").
    private static string Messages(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
            if (!parts.Any(p => p.Contains(x.Message, StringComparison.Ordinal))) parts.Add(x.Message.TrimEnd('.'));
        return string.Join(": ", parts) + ".";
    }

    private void WriteReport(SchemaModel schema, string target, string source, string? sourceFile, int applied,
        List<string> journal, DbOpsSchemaReport? structure)
    {
        var b = new StringBuilder();
        b.Append("# Live database check: ").Append(schema.Name).Append(" (").Append(DbProviders.Name(schema.Provider)).Append(")\n\n");
        b.Append("- Database: `").Append(target).Append("` (password not shown)\n");
        b.Append("- Compared with: ").Append(source).Append(sourceFile is null ? "" : $" (`{sourceFile}`)").Append(", ")
            .Append(applied).Append(" applied migration").Append(applied == 1 ? "" : "s").Append('\n');
        b.Append("- Result: ").Append(journal.Count == 0 && structure is { InSync: true } ? "in sync" : "differences found").Append("\n\n");
        b.Append("## Journal\n\n").Append(journal.Count == 0 ? "Every applied migration is in the folder, unchanged, and none is pending.\n" : string.Join("\n", journal) + "\n");
        b.Append("\n## Structure\n\n");
        if (structure is null) b.Append("Not compared (see the journal).\n");
        else if (structure.InSync) b.Append($"{structure} \n");
        else
        {
            b.Append("| code | difference | way back |\n|---|---|---|\n");
            foreach (var d in structure.Differences)
                b.Append("| ").Append(LiveDiagnostics.Code(d.Kind)).Append(" | ").Append(Cell(d.Message)).Append(" | ")
                    .Append(d.Undo is null ? (d.Actual is null ? $"Recreate it as {source} made it (its statement is in `schema.{DbProviders.Name(schema.Provider)}.sql`)." : "Rebuild the table as the migration made it.") : $"`{Cell(d.Undo)}`")
                    .Append(" |\n");
            b.Append("\nEach difference is either a hand-made change to undo (the statement above, run by hand) or a change to keep. To keep one: ")
                .Append("undo it, write it into `dbops.yaml`, run `dotnet build -t:DbOpsAddMigration -p:DbOpsMigrationName=<Name>`, ")
                .Append("and let `MigrateAsync` apply that migration, so that every database gets it the same way.\n");
        }
        Directory.CreateDirectory(settings.OutputDir);
        File.WriteAllText(Path.Combine(settings.OutputDir, ReportFileName), b.ToString());
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}

/// <summary>Keeps the password of a connection string out of messages: the target without it, and redaction of its value.</summary>
internal sealed partial class ConnectionSecrets
{
    private static readonly string[] SecretKeys = ["password", "pwd", "sslpassword", "ssl password"];
    private readonly List<string> _secrets = [];

    public ConnectionSecrets(string connectionString)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (string key in builder.Keys)
                if (SecretKeys.Contains(key.ToLowerInvariant()) && builder[key]?.ToString() is { Length: > 0 } value) _secrets.Add(value);
        }
        catch (ArgumentException)
        {
            // Not parseable: the driver says why; nothing of it is shown but what the driver says.
        }
        // The connection string as written, without its secret settings.
        Target = SecretSetting().Replace(connectionString, "").Trim(';', ' ');
        foreach (var s in _secrets) Target = Target.Replace(s, "***", StringComparison.Ordinal);
    }

    /// <summary>The connection string without its secrets.</summary>
    public string Target { get; }

    public string Redact(string message)
    {
        foreach (var s in _secrets.OrderByDescending(s => s.Length)) message = message.Replace(s, "***", StringComparison.Ordinal);
        return message;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?i)(?<=^|;)\s*(password|pwd|ssl\s*password)\s*=\s*(""([^""]|"""")*""|'([^']|'')*'|[^;]*)\s*(;|$)")]
    private static partial System.Text.RegularExpressions.Regex SecretSetting();
}
