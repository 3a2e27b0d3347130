using System.IO;
using DbOps.Runtime;
using Npgsql;

namespace DbOps.Runtime.Tests;

/// <summary>DbOpsErrors.IsTransient decides what InTransactionAsync retries, including after a failed COMMIT.</summary>
public class ErrorsTests
{
    [Fact]
    public void Serialization_failures_and_deadlocks_are_transient()
    {
        Assert.True(DbOpsErrors.IsTransient(new PostgresException("could not serialize", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure)));
        Assert.True(DbOpsErrors.IsTransient(new PostgresException("deadlock", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected)));
        Assert.False(DbOpsErrors.IsTransient(new PostgresException("dup", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
    }

    [Fact]
    public void A_broken_connection_is_not_retried_because_a_commit_may_have_succeeded()
    {
        // Npgsql flags I/O failures IsTransient; when COMMIT fails that way its outcome is unknown, and running the
        // delegate again would apply its writes twice.
        var broken = new NpgsqlException("Exception while reading from stream", new IOException("connection reset"));
        Assert.True(broken.IsTransient);
        Assert.False(DbOpsErrors.IsTransient(broken));
    }
}
