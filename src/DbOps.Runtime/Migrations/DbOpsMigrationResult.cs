namespace DbOps.Runtime;

/// <summary>What <c>MigrateAsync</c> did.</summary>
public sealed class DbOpsMigrationResult
{
    /// <summary>Creates the result.</summary>
    public DbOpsMigrationResult(IReadOnlyList<string> appliedScripts, int alreadyAppliedCount)
        : this(appliedScripts, alreadyAppliedCount, null)
    {
    }

    /// <summary>Creates the result of a run that recorded <paramref name="recordedBaseline"/> without running it.</summary>
    public DbOpsMigrationResult(IReadOnlyList<string> appliedScripts, int alreadyAppliedCount, string? recordedBaseline)
    {
        ArgumentNullException.ThrowIfNull(appliedScripts);
        AppliedScripts = appliedScripts;
        AlreadyAppliedCount = alreadyAppliedCount;
        RecordedBaseline = recordedBaseline;
    }

    /// <summary>
    /// The baseline script this call recorded as applied without running it, because the database (without a DbOps
    /// journal) already held all of its tables; null otherwise. It is not in <see cref="AppliedScripts"/>.
    /// </summary>
    public string? RecordedBaseline { get; }

    /// <summary>The scripts this call applied, in order (empty when the database was up to date).</summary>
    public IReadOnlyList<string> AppliedScripts { get; }

    /// <summary>
    /// How many of the application's scripts were found applied already (before this call, or by another instance
    /// migrating concurrently).
    /// </summary>
    public int AlreadyAppliedCount { get; }

    /// <summary>True when this call applied nothing.</summary>
    public bool WasUpToDate => AppliedScripts.Count == 0 && RecordedBaseline is null;

    /// <inheritdoc />
    public override string ToString() =>
        (RecordedBaseline is null ? "" : $"Recorded the baseline {RecordedBaseline} as applied (the database already had its tables). ") +
        (AppliedScripts.Count == 0
            ? $"Database up to date ({AlreadyAppliedCount} migrations already applied)."
            : $"Applied {AppliedScripts.Count} migrations ({string.Join(", ", AppliedScripts)}); {AlreadyAppliedCount} were already applied.");
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
