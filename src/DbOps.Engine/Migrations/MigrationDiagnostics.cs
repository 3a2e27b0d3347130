using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Migrations;

/// <summary>DBOPS2xxx: drift and migration integrity. One factory per code.</summary>
internal static class MigrationDiagnostics
{
    private static Diagnostic Error(string code, SourceLocation at, string message) => new(code, DiagnosticSeverity.Error, at, message);
    private static SourceLocation At(string file) => new(file, 0, 0);

    public const string HowToAccept = "run `dotnet build -t:DbOpsAddMigration -p:DbOpsMigrationName=<Name>` to write the migration";

    /// <summary>DBOPS2001: the schema differs from the committed snapshot (a migration is pending).</summary>
    public static Diagnostic Drift(SourceLocation at, DiagnosticSeverity severity, IReadOnlyList<string> changes, string pendingPath) =>
        new("DBOPS2001", severity, at,
            $"The schema differs from the committed migrations ({changes.Count} change{(changes.Count == 1 ? "" : "s")}). " +
            string.Join(" ", changes) + $" The pending migration script is in {pendingPath}; {HowToAccept}.");

    /// <summary>
    /// DBOPS3001–3009 (a dangerous change: an error unless DbOpsAllowDataLoss) and the notes of a change: DBOPS3007/3010
    /// advice (warnings) and DBOPS3011–3014 breaking for the running release (severity from DbOpsBreakingChanges).
    /// </summary>
    public static Diagnostic Change(string code, DiagnosticSeverity severity, SourceLocation at, string description, string text) =>
        new(code, severity, at, $"{description} {text}");

    /// <summary>DBOPS2002: a migration changed after it was summed.</summary>
    /// <param name="resumName">The latest migration with a hand-written data section: the DbOpsMigrationName that re-sums it.</param>
    public static Diagnostic MigrationEdited(string file, string? resumName = null) => Error("DBOPS2002", At(file),
        $"Migration '{Path.GetFileName(file)}' changed after it was committed (its checksum differs from dbops.sum). Applied migrations must not change: " +
        "revert the edit and add a new migration instead. " +
        (resumName is null
            ? "If it was never applied anywhere, delete it and the matching dbops.sum line and run DbOpsAddMigration again."
            : $"If only its hand-written data section changed and no database has applied it yet, re-sum it: `dotnet build -t:DbOpsAddMigration -p:DbOpsMigrationName={resumName}`."));

    /// <summary>DBOPS2003: a summed migration is missing.</summary>
    public static Diagnostic MigrationMissing(string file) => Error("DBOPS2003", At(file),
        $"Migration '{Path.GetFileName(file)}' is listed in dbops.sum but the file is missing. Restore it from version control; migrations are never deleted.");

    /// <summary>DBOPS2004: a migration file that dbops.sum does not list.</summary>
    public static Diagnostic MigrationNotSummed(string file) => Error("DBOPS2004", At(file),
        $"Migration '{Path.GetFileName(file)}' is not listed in dbops.sum (written by hand, or renamed/renumbered). " +
        "Write migrations with DbOpsAddMigration; to keep a hand-written one, run `dotnet build -t:DbOpsRehash`.");

    /// <summary>DBOPS2005: the snapshot was edited by hand.</summary>
    public static Diagnostic SnapshotEdited(string file) => Error("DBOPS2005", At(file),
        "dbops.snapshot.yaml changed after DbOpsAddMigration wrote it (its checksum differs from dbops.sum). It must describe the schema after the " +
        "latest migration: revert the edit and change dbops.yaml instead.");

    /// <summary>DBOPS2006: two migrations with one number (parallel branches).</summary>
    public static Diagnostic DuplicateNumber(string file, string other) => Error("DBOPS2006", At(file),
        $"Migrations '{Path.GetFileName(other)}' and '{Path.GetFileName(file)}' have the same number (two branches each added one). " +
        "Keep the one already merged; delete yours with its dbops.sum line, restore dbops.snapshot.yaml from the merged branch, and run DbOpsAddMigration again.");

    /// <summary>DBOPS2007: dbops.sum lists migrations out of order, or the numbers have a gap.</summary>
    public static Diagnostic Reordered(string file, string detail) => Error("DBOPS2007", At(file),
        $"Migration '{Path.GetFileName(file)}' is out of order: {detail}. Migrations are numbered 0001, 0002, ... in the order they were added; do not renumber them.");

    /// <summary>DBOPS2008: dbops.sum is missing, malformed, or its own checksum does not match.</summary>
    public static Diagnostic SumInvalid(string file, string detail) => Error("DBOPS2008", At(file),
        $"dbops.sum is invalid: {detail}. Restore it from version control (or run `dotnet build -t:DbOpsRehash` after checking every migration by hand).");

    /// <summary>DBOPS2009: a file in the migrations folder that is not NNNN_name.sql.</summary>
    public static Diagnostic BadMigrationName(string file) => Error("DBOPS2009", At(file),
        $"'{Path.GetFileName(file)}' is not a migration name: expected NNNN_name.sql (four digits, underscore, lower-case name).");

    /// <summary>DBOPS2010: DbOpsAddMigration without a usable name.</summary>
    public static Diagnostic MigrationNameInvalid(string name) => Error("DBOPS2010", SourceLocation.None,
        $"Migration name '{name}' is not usable: pass -p:DbOpsMigrationName=AddPhone (letters, digits, '_', '-').");

    /// <summary>DBOPS2011: DbOpsScript without a path.</summary>
    public static Diagnostic ScriptPathMissing() => Error("DBOPS2011", SourceLocation.None,
        "DbOpsScript needs a path: pass -p:DbOpsScriptPath=deploy.sql.");

    /// <summary>DBOPS2012: DbOpsScript for SQLite, which has no conditional DDL.</summary>
    public static Diagnostic ScriptNotIdempotentOnSqlite() => Error("DBOPS2012", SourceLocation.None,
        "DbOpsScript cannot write an idempotent script for SQLite (SQLite has no conditional DDL). Apply migrations with MigrateAsync(), " +
        "which keeps the dbops_migrations journal, or run the Migrations/*.sql files in order.");

    /// <summary>DBOPS2013: DbOpsMigrationKind is not schema, data or schema+data.</summary>
    public static Diagnostic MigrationKindInvalid(string kind) => Error("DBOPS2013", SourceLocation.None,
        $"DbOpsMigrationKind '{kind}' is not known: use schema (the default: the schema changes), data (a hand-written data migration) " +
        "or schema+data (the schema changes followed by a hand-written data section).");

    /// <summary>DBOPS2014: re-summing a migration that has no hand-written data section.</summary>
    public static Diagnostic NoDataSection(string file) => Error("DBOPS2014", At(file),
        $"Migration '{Path.GetFileName(file)}' changed, but it has no hand-written data section (no `{MigrationScript.DataMarker}` line), and generated SQL is " +
        "never edited. Revert the edit; put data changes into a data migration (-p:DbOpsMigrationKind=data) or write the migration with -p:DbOpsMigrationKind=schema+data.");

    /// <summary>DBOPS2015: re-summing a migration whose text above the data section changed.</summary>
    public static Diagnostic AboveDataSectionEdited(string file) => Error("DBOPS2015", At(file),
        $"Migration '{Path.GetFileName(file)}' changed above its `{MigrationScript.DataMarker}` line (the generated SQL, the header or the marker line itself). " +
        "Only the hand-written part below that line may be edited: restore the rest from version control, then re-sum.");

    /// <summary>DBOPS2016: re-summing a migration that is not the latest.</summary>
    public static Diagnostic ResumNotLatest(string file, string latest) => Error("DBOPS2016", At(file),
        $"Migration '{Path.GetFileName(file)}' is not the latest migration ('{Path.GetFileName(latest)}'), so a database may have applied it already; " +
        "only the latest migration can be re-summed. Revert the edit and add a data migration (-p:DbOpsMigrationKind=data) with a new name instead.");
}
