using DbOps.Schema.Diagnostics;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Migrations;

/// <summary>
/// Reports the notes of a plan's changes: DBOPS3007/3010 advice as warnings, DBOPS3011–3014 (breaking for the running
/// release) with the severity of DbOpsBreakingChanges. The build reports them while a migration is pending (never as
/// errors: the drift gate decides whether the build fails); DbOpsAddMigration reports them again, with errors that
/// refuse the migration under DbOpsBreakingChanges=error and the live row estimates of DBOPS3010.
/// </summary>
internal static class ChangeNotes
{
    public static void Report(MigrationPlan plan, string breakingChanges, LiveTableSizes? live, EngineLog log, bool errorsAllowed = true)
    {
        foreach (var (change, note) in plan.Notes)
        {
            var breaking = DangerCodes.Breaking.Contains(note.Code);
            if (breaking && breakingChanges == "off") continue;
            var severity = breaking && breakingChanges == "error" && errorsAllowed ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
            var text = note.Text;
            if (note.Code == DangerCodes.TableRewrite && note.Table is { } table && live?.Describe(table) is { } size) text += " " + size;
            if (severity == DiagnosticSeverity.Error) text += " (DbOpsBreakingChanges=error; set it to warning to accept the change.)";
            log.Report(MigrationDiagnostics.Change(note.Code, severity, change.Location, change.Description, text));
        }
    }
}
