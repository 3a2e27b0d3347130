using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;
using DbOps.Sql.LiveSchema;

namespace DbOps.Engine.Live;

/// <summary>DBOPS4001–4039: DbOpsImport and the live connection. One factory per code (docs/diagnostics.md lists them).</summary>
internal static class ImportDiagnostics
{
    public static Diagnostic WouldOverwrite(string path) => new("DBOPS4001", DiagnosticSeverity.Error, new SourceLocation(path, 0, 0),
        $"DbOpsImport does not overwrite '{path}': the project already has a schema or migrations. Import into a project without " +
        "them, or replace them with -p:DbOpsImportForce=true (the migrations folder's scripts, snapshot and sum are deleted).");

    public static Diagnostic NoConnectionString() => new("DBOPS4002", DiagnosticSeverity.Error, SourceLocation.None,
        "No connection string: pass -p:DbOpsConnectionString=\"...\" or set the environment variable DBOPS_CONNECTION_STRING " +
        "(the environment variable keeps the password out of command lines and build logs).");

    public static Diagnostic ConnectionFailed(string provider, string serverMessage) => new("DBOPS4003", DiagnosticSeverity.Error, SourceLocation.None,
        $"Cannot read the {provider} database: {serverMessage}");

    public static Diagnostic NothingToImport(string provider) => new("DBOPS4004", DiagnosticSeverity.Error, SourceLocation.None,
        $"The {provider} database has no table DbOps can import (PostgreSQL: the public schema); nothing was written.");

    public static Diagnostic ImportedSchemaInvalid(string detail) => new("DBOPS4005", DiagnosticSeverity.Error, new SourceLocation("dbops.yaml", 0, 0),
        $"The imported schema does not validate ({detail}); nothing was written. Please report it with the database's DDL.");

    public static Diagnostic UnsupportedObject(string obj, string detail) => Warning("DBOPS4010", obj,
        $"{detail}. DbOps leaves it in the database and never drops it; migrations and verification do not treat it as drift.");

    public static Diagnostic UnsupportedColumn(string obj, string detail) => Warning("DBOPS4011", obj, detail + ".");

    public static Diagnostic UnsupportedTable(string obj, string detail) => Warning("DBOPS4012", obj,
        $"is not imported: {detail}. DbOps leaves it in the database and never drops it.");

    public static Diagnostic UnsupportedConstraint(string obj, string detail) => Warning("DBOPS4013", obj, detail + ".");

    public static Diagnostic NameNotKept(string obj, string detail) => Warning("DBOPS4014", obj, detail + ".");

    public static Diagnostic For(ImportWarning w) => w.Problem switch
    {
        ImportProblem.UnsupportedObject => UnsupportedObject(w.Object, w.Detail),
        ImportProblem.UnsupportedColumn => UnsupportedColumn(w.Object, w.Detail),
        ImportProblem.UnsupportedTable => UnsupportedTable(w.Object, w.Detail),
        ImportProblem.UnsupportedConstraint => UnsupportedConstraint(w.Object, w.Detail),
        _ => NameNotKept(w.Object, w.Detail),
    };

    private static Diagnostic Warning(string code, string obj, string text) =>
        new(code, DiagnosticSeverity.Warning, new SourceLocation("dbops.yaml", 0, 0), $"{Capitalized(obj)}: {text}");

    private static string Capitalized(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
