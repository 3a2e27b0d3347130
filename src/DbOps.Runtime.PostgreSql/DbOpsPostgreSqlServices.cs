using System.Data.Common;
using Npgsql;

namespace DbOps.Runtime;

/// <summary>PostgreSQL (Npgsql) services for generated code and the migrator.</summary>
public sealed class DbOpsPostgreSqlServices : DbOpsProviderServices
{
    /// <summary>The one instance generated code uses.</summary>
    public static DbOpsPostgreSqlServices Instance { get; } = new();

    private DbOpsPostgreSqlServices()
    {
    }

    /// <inheritdoc />
    public override DbOpsProvider Provider => DbOpsProvider.PostgreSql;

    /// <inheritdoc />
    public override DbOpsSchemaReader SchemaReader => PostgreSqlSchemaReader.Instance;

    /// <inheritdoc />
    /// <remarks>An <see cref="NpgsqlDataSource"/> (Npgsql's own pool).</remarks>
    public override DbDataSource CreateDataSource(string connectionString) => NpgsqlDataSource.Create(connectionString);

    /// <inheritdoc />
    /// <remarks>PostgreSQL names the constraint and the table in every violation.</remarks>
    public override DbOpsException? Translate(Exception exception, DbOpsTableInfo? table, DbOpsStatementKind kind)
    {
        if (exception is not PostgresException e) return null;
        var t = e.TableName ?? table?.Table;
        return e.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation => new DbOpsUniqueViolationException(
                $"Unique constraint '{e.ConstraintName}' violated on '{t}': {e.MessageText} {e.Detail}".TrimEnd(), e.ConstraintName, t, e),
            PostgresErrorCodes.ForeignKeyViolation => new DbOpsForeignKeyViolationException(
                $"Foreign key '{e.ConstraintName}' violated on '{t}': {e.MessageText} {e.Detail}".TrimEnd(), e.ConstraintName, t, e),
            PostgresErrorCodes.CheckViolation => new DbOpsCheckViolationException(
                $"Check constraint '{e.ConstraintName}' violated on '{t}': {e.MessageText}", e.ConstraintName, t, e),
            _ => null,
        };
    }

    /// <inheritdoc />
    public override bool IsTransient(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };
}
