using DbOps.Generated.Schemas;
using DbOps.Schema.Model;
using DbOps.Sql;
using Microsoft.Data.Sqlite;
using TestData;

namespace DbOps.Generated.Tests;

/// <summary>A fresh SQLite database file per test, created with the DbOps.Sql create script.</summary>
public static class TestDatabase
{
    private static readonly Lazy<string> Script = new(() => DdlGenerator.CreateScript(TestSchemas.Test(DbProvider.Sqlite), DbProvider.Sqlite));
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"dbops-gen-sqlite-{Environment.ProcessId}");

    /// <summary>The error this provider reports for a serialization failure (retried by InTransactionAsync).</summary>
    public static Exception SerializationFailure() => new SqliteException("database is locked", 5);

    /// <summary>The error this provider reports for a deadlock or a lock conflict (retried by InTransactionAsync).</summary>
    public static Exception Deadlock() => new SqliteException("database table is locked", 6);

    public static async Task<TestDb> CreateAsync()
    {
        Directory.CreateDirectory(Root);
        var path = Path.Combine(Root, $"{Guid.NewGuid():N}.db");
        var cs = $"Data Source={path}";
        await using (var conn = new SqliteConnection(cs))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = Script.Value;
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
