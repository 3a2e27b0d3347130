using DbOps.Runtime;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;

namespace DbOps.Engine.Live;

/// <summary>DBOPS4040–4099: DbOpsVerify, a live database against the committed migrations. One factory per code.</summary>
internal static class LiveDiagnostics
{
    private static Diagnostic Error(string code, SourceLocation at, string message) => new(code, DiagnosticSeverity.Error, at, message);

    /// <summary>DBOPS4040: no connection string.</summary>
    public static Diagnostic NoConnectionString() => Error("DBOPS4040", SourceLocation.None,
        "DbOpsVerify needs a connection string: set the environment variable DBOPS_CONNECTION_STRING (keeps the password out of " +
        "every log) or pass -p:DbOpsConnectionString=\"...\" (escape ';' as %3B).");

    /// <summary>DBOPS4041: the database cannot be reached; the server's (or driver's) message, the password removed.</summary>
    public static Diagnostic CannotConnect(string target, string serverMessage) => Error("DBOPS4041", SourceLocation.None,
        $"Cannot connect to the database ({target}): {serverMessage}");

    /// <summary>DBOPS4042: the journal records a script the migrations folder does not have.</summary>
    public static Diagnostic UnknownApplied(SourceLocation at, string script, string migrationsDir) => Error("DBOPS4042", at,
        $"The database has migration '{script}' applied, but {migrationsDir} does not contain it: the database is newer than this " +
        "checkout (or the script was renamed or deleted after it was applied). Check out the branch that has it; never delete applied migrations.");

    /// <summary>DBOPS4043: an applied script was edited after it was applied.</summary>
    public static Diagnostic AppliedScriptEdited(SourceLocation at, string script, string journalChecksum, string fileChecksum) => Error("DBOPS4043", at,
        $"Migration '{script}' was edited after it was applied to this database (journal checksum {journalChecksum}, file checksum {fileChecksum}). " +
        "Restore the applied version from version control and put the change into a new migration.");

    /// <summary>DBOPS4044 (warning): scripts the database has not applied yet.</summary>
    public static Diagnostic Pending(SourceLocation at, IReadOnlyList<string> scripts, string? lastApplied) => new("DBOPS4044", DiagnosticSeverity.Warning, at,
        $"{scripts.Count} migration{(scripts.Count == 1 ? " is" : "s are")} not applied to this database yet: {string.Join(", ", scripts)}. " +
        (lastApplied is null ? "The database has no DbOps journal. " : $"The last applied one is {lastApplied}. ") +
        "Its structure is compared once they are applied (`await db.MigrateAsync()`), since dbops.snapshot.yaml describes the latest migration only.");

    /// <summary>DBOPS4045: no committed migrations to compare with.</summary>
    public static Diagnostic NoMigrations(string migrationsDir) => Error("DBOPS4045", SourceLocation.None,
        $"There are no committed migrations in {migrationsDir} to compare the database with. Write the first one with " +
        "`dotnet build -t:DbOpsAddMigration -p:DbOpsMigrationName=Initial` (or adopt the database with DbOpsImport).");

    /// <summary>DBOPS4046–4055: one difference between the live structure and the last applied migration.</summary>
    public static Diagnostic Difference(SourceLocation at, DbOpsSchemaDifference d, string reportPath) => Error(Code(d.Kind), at,
        d.Message + (d.Undo is null ? "." : $". To undo the hand-made change: {d.Undo}") + $" Every difference and the way back: {reportPath}.");

    /// <summary>The code of each kind of difference.</summary>
    public static string Code(DbOpsSchemaDifferenceKind kind) => kind switch
    {
        DbOpsSchemaDifferenceKind.Table => "DBOPS4046",
        DbOpsSchemaDifferenceKind.Column => "DBOPS4047",
        DbOpsSchemaDifferenceKind.ColumnType => "DBOPS4048",
        DbOpsSchemaDifferenceKind.ColumnNullability => "DBOPS4049",
        DbOpsSchemaDifferenceKind.ColumnDefault => "DBOPS4050",
        DbOpsSchemaDifferenceKind.PrimaryKey => "DBOPS4051",
        DbOpsSchemaDifferenceKind.Unique => "DBOPS4052",
        DbOpsSchemaDifferenceKind.Index => "DBOPS4053",
        DbOpsSchemaDifferenceKind.ForeignKey => "DBOPS4054",
        _ => "DBOPS4055",
    };
}
