using DbOps.Generated.Schemas;
using DbOps.Schema.Model;
using DbOps.Sql;
using DbOps.Testing;
using Npgsql;
using TestData;

namespace DbOps.Generated.Tests;

/// <summary>A fresh database per test on the assembly's real PostgreSQL server, created with the DbOps.Sql create script.</summary>
public static class TestDatabase
{
    private static readonly Lazy<string> Script = new(() => DdlGenerator.CreateScript(TestSchemas.Test(DbProvider.PostgreSql), DbProvider.PostgreSql));

    /// <summary>The error this provider reports for a serialization failure (retried by InTransactionAsync).</summary>
    public static Exception SerializationFailure() => new PostgresException("could not serialize access", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure);

    /// <summary>The error this provider reports for a deadlock or a lock conflict (retried by InTransactionAsync).</summary>
    public static Exception Deadlock() => new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected);

    public static async Task<TestDb> CreateAsync()
    {
        var cs = PostgresServer.Instance.CreateDatabase("gen");
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(Script.Value, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return TestDb.Create(cs);
    }

    public static async Task<object?> ScalarAsync(TestDb db, string sql)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }
}
