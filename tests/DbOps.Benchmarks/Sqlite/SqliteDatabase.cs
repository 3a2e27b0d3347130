using System.Data;
using Dapper;
using DbOps.Benchmarks.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DbOps.Benchmarks;

/// <summary>
/// One SQLite database file (WAL) per benchmark process, created from DbOps' generated schema.sqlite.sql.
/// Every contestant uses the same connection string (the one DbOps gets too).
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private SqliteDatabase(string path)
    {
        Path = path;
        // Foreign keys on for everyone: DbOps' data source always turns them on, so the others get them too.
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = path, ForeignKeys = true, Pooling = true }.ToString();
    }

    public string Path { get; }
    public string ConnectionString { get; }

    public static async Task<SqliteDatabase> CreateAsync(bool withOrders)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dbops-bench-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        var database = new SqliteDatabase(path);
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = BenchData.SchemaScript();
            await create.ExecuteNonQueryAsync();
        }
        await using (var db = BenchDb.Create(database.ConnectionString))
        {
            await db.Customers.InsertManyAsync(BenchData.Customers());
            if (withOrders) await db.Orders.InsertManyAsync(BenchData.Orders(BenchData.OrderCount, seed: 1));
        }
        return database;
    }

    public PooledDbContextFactory<BenchContext> CreateEfFactory() =>
        new(new DbContextOptionsBuilder<BenchContext>().UseSqlite(ConnectionString).Options);

    public static void RegisterDapperHandlers()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // What a Dapper user on SQLite writes: Guid as the TEXT EF Core stores (Dapper's default binds a BLOB),
        // and DateTimeOffset parsed from TEXT.
        SqlMapper.AddTypeHandler(new GuidTextHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetTextHandler());
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            try { File.Delete(Path + suffix); } catch (IOException) { }
        return default;
    }

    private sealed class GuidTextHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString().ToUpperInvariant();
        }

        public override Guid Parse(object value) => value is Guid g ? g : Guid.Parse((string)value);
    }

    private sealed class DateTimeOffsetTextHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value;
        }

        public override DateTimeOffset Parse(object value) =>
            value is DateTimeOffset d ? d : DateTimeOffset.Parse((string)value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
