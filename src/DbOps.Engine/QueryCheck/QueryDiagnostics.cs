using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;

namespace DbOps.Engine.QueryCheck;

/// <summary>DBOPS5xxx: named queries checked against the schema at build time. One factory per code.</summary>
internal static class QueryDiagnostics
{
    private static Diagnostic Error(string code, SourceLocation at, string message) => new(code, DiagnosticSeverity.Error, at, message);
    private static Diagnostic Warning(string code, SourceLocation at, string message) => new(code, DiagnosticSeverity.Warning, at, message);

    /// <summary>DBOPS5001: the query's SQL does not compile against the schema (SQLite's message).</summary>
    public static Diagnostic DoesNotCompile(SourceLocation at, string query, string sqliteMessage) => Error("DBOPS5001", at,
        $"Query '{query}' does not compile against the schema: {sqliteMessage}.");

    /// <summary>DBOPS5002: the statement's result has a different number of columns than <c>returns</c> declares.</summary>
    public static Diagnostic ColumnCountMismatch(SourceLocation at, string query, IReadOnlyList<string> actual, IReadOnlyList<string> declared) => Error("DBOPS5002", at,
        $"Query '{query}' returns {Count(actual.Count, "column")} ({string.Join(", ", actual)}) but its 'returns' declares {declared.Count} " +
        $"({string.Join(", ", declared)}). Generated code reads result columns by position, in 'returns' order: make them match.");

    /// <summary>DBOPS5002 (scalar form): a scalar query whose statement does not return exactly one column.</summary>
    public static Diagnostic ScalarColumnCount(SourceLocation at, string query, IReadOnlyList<string> actual) => Error("DBOPS5002", at,
        $"Query '{query}' declares a single-value result ('returns: <type>') but returns {Count(actual.Count, "column")} ({string.Join(", ", actual)}). " +
        "Select exactly one column, or declare 'returns' as a mapping of columns.");

    /// <summary>DBOPS5003: a result column's name differs from the <c>returns</c> column at that position.</summary>
    public static Diagnostic ColumnNameMismatch(SourceLocation at, string query, int position, string actual, string declared, string? matchesDeclared, int matchesPosition) => Warning("DBOPS5003", at,
        $"Query '{query}' result column {position} is '{actual}' but 'returns' declares '{declared}' at that position (columns are read by position, not by name)." +
        (matchesDeclared is null
            ? $" Alias the column (AS {declared}) or fix the order in 'returns'."
            : $" '{actual}' looks like '{matchesDeclared}', which 'returns' declares at position {matchesPosition}: are the columns swapped?"));

    /// <summary>DBOPS5004 (error): <c>returns</c> is declared but the statement returns no rows.</summary>
    public static Diagnostic ReturnsButNoRows(SourceLocation at, string query) => Error("DBOPS5004", at,
        $"Query '{query}' declares 'returns' but its SQL returns no rows (e.g. INSERT/UPDATE/DELETE without RETURNING). " +
        "Add a RETURNING clause or a SELECT, or remove 'returns' to get the affected-row count.");

    /// <summary>DBOPS5004 (warning): no <c>returns</c> but the statement is a SELECT, whose rows would be discarded.</summary>
    public static Diagnostic RowsButNoReturns(SourceLocation at, string query, IReadOnlyList<string> columns) => Warning("DBOPS5004", at,
        $"Query '{query}' is a SELECT returning {Count(columns.Count, "column")} ({string.Join(", ", columns)}) but declares no 'returns', so the generated " +
        "method discards the rows and returns an affected-row count. Declare 'returns' (a type for one value, or a mapping of columns).");

    /// <summary>DBOPS5005: not checked, because SQLite cannot compile SQL written for the schema's (non-SQLite) provider.</summary>
    public static Diagnostic NotChecked(SourceLocation at, string query, DbProvider provider, string sqliteMessage) => Warning("DBOPS5005", at,
        $"Query '{query}' was not checked: the build checks queries with SQLite, which cannot compile it ({sqliteMessage}); " +
        $"the schema's provider is {DbProviders.Name(provider)}, so this may be valid {DbProviders.Name(provider)} syntax. Check the query against the database yourself.");

    /// <summary>DBOPS5005 (checker failure): the query could not be checked because the checker itself failed.</summary>
    public static Diagnostic CheckerFailed(SourceLocation at, string query, string detail) => Warning("DBOPS5005", at,
        $"Query '{query}' was not checked: the query checker failed ({detail}).");

    /// <summary>DBOPS5006: no query was checked, because the schema's SQLite create script could not be run.</summary>
    public static Diagnostic SchemaNotLoadable(SourceLocation at, string sqliteMessage) => Warning("DBOPS5006", at,
        $"Queries were not checked: the schema's SQLite create script failed in the checker's in-memory database ({sqliteMessage}).");

    /// <summary>DBOPS5007: the SQL uses a parameter that generated code never binds (SQLite schemas only).</summary>
    public static Diagnostic UnboundParameter(SourceLocation at, string query, string parameter) => Error("DBOPS5007", at,
        $"Query '{query}' uses the parameter '{parameter}', which generated code never binds (it binds each declared param as @name). " +
        "Write parameters as @name and declare them under 'params'.");

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
