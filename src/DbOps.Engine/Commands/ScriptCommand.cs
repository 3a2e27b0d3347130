using System.Text;
using DbOps.Engine.Migrations;
using DbOps.Runtime;
using DbOps.Engine.Output;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Commands;

/// <summary>
/// DbOpsScript: one deploy script of every committed migration that can be run twice safely. Each migration runs
/// only when the journal (the same dbops_migrations table MigrateAsync keeps) has no row for it, and records
/// itself with its checksum. PostgreSQL wraps each migration in a DO block, SQL Server in IF NOT EXISTS batches.
/// SQLite has no conditional DDL, so an idempotent SQLite script is not possible: the command says so (DBOPS2012).
/// </summary>
internal sealed class ScriptCommand(EngineSettings settings, CommandLineOptions options, EngineLog log)
{
    public const string JournalTable = DbOpsMigrationScript.JournalTable;

    public int Run()
    {
        if (string.IsNullOrWhiteSpace(options.OutPath))
        {
            log.Report(MigrationDiagnostics.ScriptPathMissing());
            return 1;
        }
        var schema = SchemaInput.Load(settings, log);
        if (schema is null) return 1;
        var folder = new MigrationFolder(settings.ProjectDir, settings.MigrationsDir);
        log.ReportAll(folder.Verify());
        if (log.Errors > 0) return 1;
        if (schema.Provider == DbProvider.Sqlite)
        {
            log.Report(MigrationDiagnostics.ScriptNotIdempotentOnSqlite());
            return 1;
        }

        var sb = new StringBuilder();
        sb.Append("-- DbOps deploy script for ").Append(schema.Name).Append(" (").Append(DbProviders.Name(schema.Provider))
          .Append("): every migration in ").Append(folder.RelativeDir).Append(", each applied once (safe to run again).\n\n");
        // The journal exactly as the app's migrator creates it.
        var postgres = schema.Provider == DbProvider.PostgreSql;
        sb.Append(DbOpsMigrationScript.CreateJournalSql(postgres ? DbOpsProvider.PostgreSql : DbOpsProvider.SqlServer))
          .Append(postgres ? ";\n\n" : "\nGO\n\n");
        foreach (var m in folder.Migrations)
        {
            var text = File.ReadAllText(m.FullPath).ReplaceLineEndings("\n");
            var checksum = MigrationFolder.Hash(text);
            sb.Append("-- ").Append(m.FileName).Append('\n');
            sb.Append(schema.Provider == DbProvider.PostgreSql ? PostgresBlock(m.FileName, checksum, text) : SqlServerBlock(m.FileName, checksum, text));
            sb.Append('\n');
        }
        var outPath = settings.FullPath(options.OutPath);
        OutputSet.WriteIfChanged(outPath, sb.ToString());
        log.Info($"DbOps: wrote {options.OutPath} ({folder.Migrations.Count} migration(s)).");
        return 0;
    }

    private static string PostgresBlock(string fileName, string checksum, string script)
    {
        var name = Literal(fileName); // a file name is text in SQL: quotes doubled
        // Dollar quoting with a tag that cannot occur in the script keeps the body verbatim.
        var tag = "$dbops$";
        for (var i = 0; script.Contains(tag, StringComparison.Ordinal); i++) tag = $"$dbops{i}$";
        var body = string.Join("\n", MigrationScript.Split(script).Select(p => (p.InTransaction ? p.Sql : MigrationScript.InTransactionForm(p.Sql)).TrimEnd()));
        return $"DO {tag}\nBEGIN\nIF NOT EXISTS (SELECT 1 FROM \"{JournalTable}\" WHERE \"script_name\" = '{name}') THEN\n" +
               body.TrimEnd() + "\n" +
               $"INSERT INTO \"{JournalTable}\" (\"script_name\", \"checksum\", \"applied_at\") VALUES ('{name}', '{checksum}', now());\nEND IF;\nEND {tag};\n";
    }

    private static string SqlServerBlock(string fileName, string checksum, string script)
    {
        var name = Literal(fileName);
        var sb = new StringBuilder();
        // Split drops the transaction markers (a deploy script runs statement by statement) and cuts at GO lines.
        foreach (var (batch, _) in MigrationScript.Split(script))
        {
            sb.Append($"IF NOT EXISTS (SELECT 1 FROM [{JournalTable}] WHERE [script_name] = N'{name}')\n");
            sb.Append("    EXEC(N'").Append(batch.Replace("'", "''")).Append("');\nGO\n");
        }
        sb.Append($"IF NOT EXISTS (SELECT 1 FROM [{JournalTable}] WHERE [script_name] = N'{name}')\n");
        sb.Append($"    INSERT INTO [{JournalTable}] ([script_name], [checksum], [applied_at]) VALUES (N'{name}', N'{checksum}', SYSUTCDATETIME());\nGO\n");
        return sb.ToString();
    }

    private static string Literal(string text) => text.Replace("'", "''", StringComparison.Ordinal);
}
