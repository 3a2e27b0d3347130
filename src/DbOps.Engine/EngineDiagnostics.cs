using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;

namespace DbOps.Engine;

/// <summary>DBOPS9xxx: the environment (settings, files, the engine itself). One factory per code.</summary>
internal static class EngineDiagnostics
{
    // DBOPS9001 (engine not found) and DBOPS9002 (engine failed silently) are raised by the MSBuild task.

    public static Diagnostic SchemaFileNotFound(string path) =>
        new("DBOPS9003", DiagnosticSeverity.Error, new SourceLocation(path, 0, 0),
            $"Schema file '{path}' does not exist. Check the DbOpsSchema items of the project.");

    public static Diagnostic SettingsInvalid(string path, string detail) =>
        new("DBOPS9004", DiagnosticSeverity.Error, new SourceLocation(path, 0, 0),
            $"The DbOps settings file is invalid: {detail} Rebuild to regenerate it.");

    public static Diagnostic UsageError(string detail) =>
        new("DBOPS9005", DiagnosticSeverity.Error, SourceLocation.None, $"DbOps engine usage: {detail}");

    public static Diagnostic CannotWriteOutput(string path, string detail) =>
        new("DBOPS9006", DiagnosticSeverity.Error, new SourceLocation(path, 0, 0),
            $"Cannot write '{path}': {detail}");

    public static Diagnostic ProviderNotReferenced(SourceLocation? at, string provider, string referenced) =>
        new("DBOPS9008", DiagnosticSeverity.Error, at ?? SourceLocation.None,
            $"The schema's provider is '{provider}', but the build referenced the runtime package for '{referenced}': the SDK reads " +
            $"the provider from DbOpsProvider or from the top-level 'provider:' line of dbops.yaml before the build runs. " +
            $"Set <DbOpsProvider>{provider}</DbOpsProvider> in the project (or move 'provider: {provider}' into dbops.yaml).");

    public static Diagnostic PropertyInvalid(string property, string value, string expected) =>
        new("DBOPS9009", DiagnosticSeverity.Error, SourceLocation.None,
            $"The MSBuild property {property} is '{value}'; it must be {expected}.");

    public static Diagnostic InternalError(Exception e) =>
        new("DBOPS9999", DiagnosticSeverity.Error, SourceLocation.None,
            $"Internal error in the DbOps engine ({e.GetType().Name}: {e.Message}). Please report it with the schema that caused it; set DBOPS_DEBUG=1 for details.");
}
