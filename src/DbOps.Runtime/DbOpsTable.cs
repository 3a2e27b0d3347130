using System.Data.Common;

namespace DbOps.Runtime;

/// <summary>
/// What the statement helpers of <see cref="DbOpsSession"/> need to know about one entity's table: its provider's
/// error mapping, its constraint metadata, how a row becomes a <typeparamref name="T"/>, and how an entity is checked
/// and completed before it is written. Generated repositories hold one static instance each.
/// </summary>
/// <typeparam name="T">The entity class.</typeparam>
public sealed class DbOpsTable<T> where T : class
{
    private readonly Func<DbDataReader, T> _read;
    private readonly Func<T, IReadOnlyList<DbOpsValidationFailure>> _validate;
    private readonly Action<T>? _generateKeys;

    /// <summary>Creates the description.</summary>
    /// <param name="services">The provider's services (error translation).</param>
    /// <param name="info">Constraint metadata of the table.</param>
    /// <param name="entityName">The entity's name, as validation errors show it.</param>
    /// <param name="read">Maps the current row (every column, in table order) to an entity.</param>
    /// <param name="validate">Checks every schema rule of an entity (the entity's <c>Validate()</c>).</param>
    /// <param name="generateKeys">Fills in client-generated keys (unset GUID keys) before an insert; null when there are none.</param>
    public DbOpsTable(DbOpsProviderServices services, DbOpsTableInfo info, string entityName, Func<DbDataReader, T> read,
        Func<T, IReadOnlyList<DbOpsValidationFailure>> validate, Action<T>? generateKeys = null)
    {
        Services = services ?? throw new ArgumentNullException(nameof(services));
        Info = info ?? throw new ArgumentNullException(nameof(info));
        EntityName = entityName ?? throw new ArgumentNullException(nameof(entityName));
        _read = read ?? throw new ArgumentNullException(nameof(read));
        _validate = validate ?? throw new ArgumentNullException(nameof(validate));
        _generateKeys = generateKeys;
    }

    /// <summary>The provider's services.</summary>
    public DbOpsProviderServices Services { get; }

    /// <summary>Constraint metadata of the table.</summary>
    public DbOpsTableInfo Info { get; }

    /// <summary>The entity's name.</summary>
    public string EntityName { get; }

    /// <summary>Maps the current row of <paramref name="reader"/> to an entity.</summary>
    public T Read(DbDataReader reader) => _read(reader);

    /// <summary>Throws <see cref="DbOpsValidationException"/> when <paramref name="entity"/> breaks a schema rule.</summary>
    public void Validate(T entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var failures = _validate(entity);
        if (failures.Count > 0) throw new DbOpsValidationException(EntityName, failures);
    }

    /// <summary>Validates <paramref name="entity"/> and fills in its client-generated keys: what every insert does first.</summary>
    public void PrepareInsert(T entity)
    {
        Validate(entity);
        _generateKeys?.Invoke(entity);
    }

    /// <summary>The DbOps exception for <paramref name="exception"/> raised by a statement of <paramref name="kind"/>, or null.</summary>
    public DbOpsException? Translate(Exception exception, DbOpsStatementKind kind) => Services.Translate(exception, Info, kind);
}
