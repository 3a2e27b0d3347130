using System.IO;
using DbOps.Runtime;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DbOps.Runtime.Tests;

/// <summary>DbOpsProviderServices.IsTransient decides what InTransactionAsync retries, including after a failed COMMIT.</summary>
public class ErrorsTests
{
    [Fact]
    public void Serialization_failures_and_deadlocks_are_transient()
    {
        Assert.True(DbOpsPostgreSqlServices.Instance.IsTransient(new PostgresException("could not serialize", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure)));
        Assert.True(DbOpsPostgreSqlServices.Instance.IsTransient(new PostgresException("deadlock", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected)));
        Assert.False(DbOpsPostgreSqlServices.Instance.IsTransient(new PostgresException("dup", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
    }

    [Fact]
    public void A_broken_connection_is_not_retried_because_a_commit_may_have_succeeded()
    {
        // Npgsql flags I/O failures IsTransient; when COMMIT fails that way its outcome is unknown, and running the
        // delegate again would apply its writes twice.
        var broken = new NpgsqlException("Exception while reading from stream", new IOException("connection reset"));
        Assert.True(broken.IsTransient);
        Assert.False(DbOpsPostgreSqlServices.Instance.IsTransient(broken));
    }

    [Fact]
    public void Sqlite_busy_and_locked_are_transient_other_errors_are_not()
    {
        var sqlite = DbOpsSqliteServices.Instance;
        Assert.True(sqlite.IsTransient(new SqliteException("database is locked", 5)));
        Assert.True(sqlite.IsBusy(new SqliteException("database table is locked", 6)));
        Assert.False(sqlite.IsTransient(new SqliteException("constraint failed", 19)));
        // Each provider maps only its own driver's errors.
        Assert.False(sqlite.IsTransient(new PostgresException("deadlock", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected)));
        Assert.Null(sqlite.Translate(new PostgresException("dup", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation), (DbOpsTableInfo?)null, DbOpsStatementKind.Write));
        Assert.Null(DbOpsPostgreSqlServices.Instance.Translate(new SqliteException("UNIQUE constraint failed: t.a", 19, 2067), (DbOpsTableInfo?)null, DbOpsStatementKind.Write));
    }
}
