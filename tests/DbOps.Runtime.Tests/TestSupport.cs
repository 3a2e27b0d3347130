using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using DbOps.Runtime;
using DbOps.Testing;
using DbUp.Engine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DbOps.Runtime.Tests;

internal static class Scripts
{
    public static List<SqlScript> Of(params (string Name, string Sql)[] scripts) =>
        [.. scripts.Select(s => new SqlScript(s.Name, s.Sql))];

    /// <summary>Writes the scripts into a folder for DbOps.MigratorHost.</summary>
    public static string WriteFolder(TempDirectory temp, string folder, params (string Name, string Sql)[] scripts)
    {
        var dir = temp.Combine(folder);
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(dir)) File.Delete(file);
        foreach (var (name, sql) in scripts) File.WriteAllText(Path.Combine(dir, name), sql);
        return dir;
    }
}

/// <summary>A fresh SQLite database file in a temp folder, with the runtime's data source.</summary>
internal sealed class SqliteDb : IDisposable
{
    private readonly TempDirectory _temp = new("dbops-mig");

    public SqliteDb()
    {
        Path = _temp.Combine("app.db");
        ConnectionString = $"Data Source={Path}";
        DataSource = new SqliteDbOpsDataSource(ConnectionString);
    }

    public string Path { get; }
    public string ConnectionString { get; }
    public DbDataSource DataSource { get; }
    public TempDirectory Temp => _temp;

    public Task<DbOpsMigrationResult> MigrateAsync(IEnumerable<SqlScript> scripts, ILogger? logger = null) =>
        DbOpsMigrator.MigrateAsync(DataSource, DbOpsSqliteServices.Instance, scripts, logger);

    public T Scalar<T>(string sql) => Sql.Scalar<T>(DataSource, sql);

    public List<(string Name, string Checksum)> Journal() => Sql.Journal(DataSource);

    public void Dispose()
    {
        DataSource.Dispose();
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}

internal static class Sql
{
    public static T Scalar<T>(DbDataSource dataSource, string sql)
    {
        using var connection = dataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    public static void Exec(DbDataSource dataSource, string sql)
    {
        using var connection = dataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static List<(string Name, string Checksum)> Journal(DbDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT script_name, checksum FROM dbops_migrations ORDER BY script_name";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }

    public static bool SqliteTableExists(DbDataSource dataSource, string table) =>
        Scalar<long>(dataSource, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'") == 1;

    public static bool PgTableExists(DbDataSource dataSource, string table) =>
        Scalar<bool>(dataSource, $"SELECT to_regclass('{table}') IS NOT NULL");
}

internal sealed class PgDb : IDisposable
{
    public PgDb()
    {
        ConnectionString = PostgresServer.Instance.CreateDatabase("mig");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    public Task<DbOpsMigrationResult> MigrateAsync(IEnumerable<SqlScript> scripts, ILogger? logger = null) =>
        DbOpsMigrator.MigrateAsync(DataSource, DbOpsPostgreSqlServices.Instance, scripts, logger);

    public T Scalar<T>(string sql) => Sql.Scalar<T>(DataSource, sql);

    public List<(string Name, string Checksum)> Journal() => Sql.Journal(DataSource);

    public void Dispose() => DataSource.Dispose();
}

/// <summary>Collects formatted log lines.</summary>
internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>Runs tests/DbOps.MigratorHost as separate processes.</summary>
internal static class MigratorHost
{
    public static string DllPath
    {
        get
        {
            var path = typeof(MigratorHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "MigratorHost").Value!;
            Assert.True(File.Exists(path), $"DbOps.MigratorHost was not built at {path}");
            return path;
        }
    }

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p) ? p : "dotnet";

    public static System.Diagnostics.ProcessStartInfo StartInfo(string provider, string connectionString, string scriptsDir)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { DllPath, provider, connectionString, scriptsDir }) psi.ArgumentList.Add(a);
        return psi;
    }

    public static ProcessResult Run(string provider, string connectionString, string scriptsDir) =>
        ProcessRunner.Run(Dotnet, [DllPath, provider, connectionString, scriptsDir], timeout: TimeSpan.FromMinutes(5));

    /// <summary>Runs <paramref name="count"/> migrators at once and waits for all.</summary>
    public static ProcessResult[] RunConcurrently(int count, string provider, string connectionString, string scriptsDir)
    {
        var tasks = Enumerable.Range(0, count)
            .Select(_ => Task.Factory.StartNew(() => Run(provider, connectionString, scriptsDir), TaskCreationOptions.LongRunning))
            .ToArray();
        Task.WaitAll(tasks, TimeSpan.FromMinutes(6));
        return [.. tasks.Select(t => t.Result)];
    }
}
