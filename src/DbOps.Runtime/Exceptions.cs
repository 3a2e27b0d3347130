namespace DbOps.Runtime;

/// <summary>One failed validation rule of an entity (see the generated <c>Validate()</c>).</summary>
/// <param name="Member">The property that failed, e.g. <c>Email</c>.</param>
/// <param name="Rule">The rule: <c>required</c>, <c>maxLength</c>, <c>minLength</c>, <c>min</c>, <c>max</c>, <c>pattern</c> or <c>enum</c>.</param>
/// <param name="Message">A readable message naming the entity, the property and the rule.</param>
public sealed record DbOpsValidationFailure(string Member, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>Thrown by generated insert/update methods before anything is sent when <c>Validate()</c> reports failures.</summary>
public sealed class DbOpsValidationException : DbOpsException
{
    /// <summary>Creates the exception from every failed rule.</summary>
    public DbOpsValidationException(string entity, IReadOnlyList<DbOpsValidationFailure> failures)
        : base($"{entity} is not valid: {string.Join("; ", failures.Select(f => f.Message))}")
    {
        Entity = entity;
        Failures = failures;
    }

    /// <summary>Logical name of the entity that failed validation.</summary>
    public string Entity { get; }

    /// <summary>Every failed rule (never empty).</summary>
    public IReadOnlyList<DbOpsValidationFailure> Failures { get; }
}

/// <summary>Base of the exceptions mapped from database constraint violations.</summary>
public abstract class DbOpsConstraintViolationException : DbOpsException
{
    /// <summary>Creates the exception.</summary>
    protected DbOpsConstraintViolationException(string message, string? constraintName, string? table, Exception innerException)
        : base(message, innerException)
    {
        ConstraintName = constraintName;
        Table = table;
    }

    /// <summary>
    /// Physical name of the violated constraint or index. Null only when the database does not say and the
    /// operation's metadata cannot decide (e.g. SQLite foreign keys when several could be involved).
    /// </summary>
    public string? ConstraintName { get; }

    /// <summary>Physical table of the statement, when known.</summary>
    public string? Table { get; }
}

/// <summary>A unique constraint, unique index or primary key was violated.</summary>
public sealed class DbOpsUniqueViolationException : DbOpsConstraintViolationException
{
    /// <summary>Creates the exception.</summary>
    public DbOpsUniqueViolationException(string message, string? constraintName, string? table, Exception innerException)
        : base(message, constraintName, table, innerException) { }

    /// <summary>
    /// A bulk upsert that met one primary key twice (PostgreSQL's ON CONFLICT and SQL Server's MERGE refuse to write a row
    /// twice in one statement); <paramref name="detail"/> is the database's own message.
    /// </summary>
    public static DbOpsUniqueViolationException RepeatedKeyInBatch(DbOpsUniqueKey primaryKey, string? table, string detail, Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(primaryKey);
        return new($"UpsertManyAsync received the same primary key ({string.Join(", ", primaryKey.Columns)}) more than once for '{table}'; " +
                   $"the keys of one call must be distinct. Nothing was written. ({detail})", primaryKey.Name, table, innerException);
    }
}

/// <summary>A foreign key was violated (a missing referenced row, or deleting a still-referenced row).</summary>
public sealed class DbOpsForeignKeyViolationException : DbOpsConstraintViolationException
{
    /// <summary>Creates the exception.</summary>
    public DbOpsForeignKeyViolationException(string message, string? constraintName, string? table, Exception innerException)
        : base(message, constraintName, table, innerException) { }
}

/// <summary>A CHECK constraint was violated.</summary>
public sealed class DbOpsCheckViolationException : DbOpsConstraintViolationException
{
    /// <summary>Creates the exception.</summary>
    public DbOpsCheckViolationException(string message, string? constraintName, string? table, Exception innerException)
        : base(message, constraintName, table, innerException) { }
}
