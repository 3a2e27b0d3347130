namespace DbOps.Runtime;

/// <summary>What <c>MigrateAsync</c> did.</summary>
public sealed class DbOpsMigrationResult
{
    /// <summary>Creates the result.</summary>
    public DbOpsMigrationResult(IReadOnlyList<string> appliedScripts, int alreadyAppliedCount)
    {
        ArgumentNullException.ThrowIfNull(appliedScripts);
        AppliedScripts = appliedScripts;
        AlreadyAppliedCount = alreadyAppliedCount;
    }

    /// <summary>The scripts this call applied, in order (empty when the database was up to date).</summary>
    public IReadOnlyList<string> AppliedScripts { get; }

    /// <summary>
    /// How many of the application's scripts were found applied already (before this call, or by another instance
    /// migrating concurrently).
    /// </summary>
    public int AlreadyAppliedCount { get; }

    /// <summary>True when this call applied nothing.</summary>
    public bool WasUpToDate => AppliedScripts.Count == 0;

    /// <inheritdoc />
    public override string ToString() => WasUpToDate
        ? $"Database up to date ({AlreadyAppliedCount} migrations already applied)."
        : $"Applied {AppliedScripts.Count} migrations ({string.Join(", ", AppliedScripts)}); {AlreadyAppliedCount} were already applied.";
}

/// <summary>
/// A migration could not be applied or verified: an applied script was edited, the database has a migration the
/// application does not know, scripts are out of order, or a script failed (the database error is the inner exception).
/// </summary>
public sealed class DbOpsMigrationException : DbOpsException
{
    /// <summary>Creates the exception.</summary>
    public DbOpsMigrationException(string message, string? scriptName = null, Exception? innerException = null)
        : base(message, innerException) => ScriptName = scriptName;

    /// <summary>The script concerned (file name, e.g. <c>0002_add_phone.sql</c>), when there is one.</summary>
    public string? ScriptName { get; }
}
