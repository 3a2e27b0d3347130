using DbOps.Schema.Model;

namespace DbOps.Engine;

/// <summary>The key=value settings file MSBuild writes (obj/DbOps.settings); relative paths are relative to ProjectDir.</summary>
internal sealed class EngineSettings
{
    public required string SettingsPath { get; init; }
    public string SdkVersion { get; init; } = "";
    public required string ProjectDir { get; init; }
    public required string OutputDir { get; init; }
    public string RootNamespace { get; init; } = "";
    public string? Namespace { get; init; }
    public string? Provider { get; init; }
    /// <summary>The provider whose runtime package the targets referenced (from DbOpsProvider or dbops.yaml); null when none.</summary>
    public string? ReferencedProvider { get; init; }
    public string MigrationsDir { get; init; } = "Migrations";
    public string DriftCheck { get; init; } = "error";
    public bool AllowDataLoss { get; init; }
    /// <summary>DbOpsLockTimeout: PostgreSQL lock_timeout at the start of each migration script (0 = off).</summary>
    public string LockTimeout { get; init; } = "5s";
    /// <summary>DbOpsBreakingChanges: error / warning / off for changes that break the running release.</summary>
    public string BreakingChanges { get; init; } = "warning";
    public IReadOnlyList<string> Schemas { get; init; } = [];
    /// <summary>DbOpsHosting: the project references DbOps.Extensions.Hosting, so the typed DI extensions are generated.</summary>
    public bool Hosting { get; init; }

    public string FullPath(string relative) => Path.GetFullPath(Path.Combine(ProjectDir, relative));

    public static EngineSettings Load(string path)
    {
        if (!File.Exists(path)) throw new EngineException(EngineDiagnostics.SettingsInvalid(path, "the file does not exist."));
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var schemas = new List<string>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new EngineException(EngineDiagnostics.SettingsInvalid(path, $"line '{line}' is not key=value."));
            var key = line[..eq];
            var value = line[(eq + 1)..].Trim();
            if (key == "Schema") schemas.Add(value.Replace('\\', '/'));
            else values[key] = value;
        }
        string Get(string key) => values.TryGetValue(key, out var v) ? v : "";
        string? Optional(string key) => Get(key) is { Length: > 0 } v ? v : null;
        var projectDir = Get("ProjectDir");
        if (projectDir.Length == 0) throw new EngineException(EngineDiagnostics.SettingsInvalid(path, "ProjectDir is missing."));
        var outputDir = Get("OutputDir");
        if (outputDir.Length == 0) throw new EngineException(EngineDiagnostics.SettingsInvalid(path, "OutputDir is missing."));
        return new EngineSettings
        {
            SettingsPath = path,
            SdkVersion = Get("SdkVersion"),
            ProjectDir = projectDir,
            OutputDir = Path.GetFullPath(Path.Combine(projectDir, outputDir)),
            RootNamespace = Get("RootNamespace"),
            Namespace = Optional("Namespace"),
            Provider = Optional("Provider"),
            ReferencedProvider = Optional("ReferencedProvider")?.ToLowerInvariant(),
            MigrationsDir = Optional("MigrationsDir") ?? "Migrations",
            DriftCheck = (Optional("DriftCheck") ?? "error").ToLowerInvariant(),
            AllowDataLoss = string.Equals(Get("AllowDataLoss"), "true", StringComparison.OrdinalIgnoreCase),
            LockTimeout = Optional("LockTimeout") ?? "5s",
            BreakingChanges = (Optional("BreakingChanges") ?? "warning").ToLowerInvariant(),
            Schemas = schemas,
            Hosting = string.Equals(Get("Hosting"), "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>The options migrations are written with, or null (reported as DBOPS9009) when a property is invalid.</summary>
    public Sql.Migrations.MigrationOptions? MigrationOptions(EngineLog log)
    {
        var ok = true;
        if (!Sql.Migrations.MigrationOptions.IsValidLockTimeout(LockTimeout))
        {
            log.Report(EngineDiagnostics.PropertyInvalid("DbOpsLockTimeout", LockTimeout, "a whole number with an optional unit ms, s, min, h or d (5s, 500ms), or 0 for off"));
            ok = false;
        }
        if (BreakingChanges is not ("error" or "warning" or "off"))
        {
            log.Report(EngineDiagnostics.PropertyInvalid("DbOpsBreakingChanges", BreakingChanges, "error, warning or off"));
            ok = false;
        }
        return ok ? new Sql.Migrations.MigrationOptions { LockTimeout = LockTimeout } : null;
    }
}
