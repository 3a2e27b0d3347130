namespace DbOps.Runtime;

/// <summary>Helpers of generated <c>Validate()</c> methods, so that each rule is one line.</summary>
public static class DbOpsValidation
{
    /// <summary>Adds a failure to <paramref name="failures"/>, creating the list on the first one.</summary>
    public static void Fail(ref List<DbOpsValidationFailure>? failures, string member, string rule, string message) =>
        (failures ??= []).Add(new DbOpsValidationFailure(member, rule, message));

    /// <summary>The result of a <c>Validate()</c>: the failures, or an empty list.</summary>
    public static IReadOnlyList<DbOpsValidationFailure> Result(List<DbOpsValidationFailure>? failures) =>
        failures is null ? [] : failures;
}
