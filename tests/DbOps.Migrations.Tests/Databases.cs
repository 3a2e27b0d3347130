using System.Data.Common;
using DbOps.Schema.Model;
using DbOps.Sql.Migrations;
using DbOps.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DbOps.Migrations.Tests;

/// <summary>A real database that migration scripts are applied to, the way the run-time migrator does.</summary>
public sealed class TestDb : IDisposable
{
    private readonly TempDirectory? _temp;
    public DbProvider Provider { get; }
    public DbConnection Connection { get; }

    private TestDb(DbProvider provider, DbConnection connection, TempDirectory? temp)
    {
        Provider = provider;
        Connection = connection;
        _temp = temp;
    }

    public static TestDb Create(DbProvider provider)
    {
        if (provider == DbProvider.Sqlite)
        {
            var temp = new TempDirectory("dbops-mig");
            var conn = new SqliteConnection($"Data Source={temp.Combine("test.db")};Pooling=False;Foreign Keys=True");
            conn.Open();
            return new TestDb(provider, conn, temp);
        }
        var pg = new NpgsqlConnection(PostgresServer.Instance.CreateDatabase("mig"));
        pg.Open();
        return new TestDb(provider, pg, null);
    }

    /// <summary>Runs a migration file: its sections in order, transaction pieces in one transaction each run of them.</summary>
    public void Apply(string script)
    {
        DbTransaction? tx = null;
        foreach (var (sql, inTransaction) in MigrationScript.Split(script))
        {
            if (inTransaction) tx ??= Connection.BeginTransaction();
            else if (tx is not null) { tx.Commit(); tx.Dispose(); tx = null; }
            try
            {
                using var cmd = Connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = sql;
                cmd.ExecuteNonQuery();
            }
            catch (Exception ex)
            {
                tx?.Rollback();
                throw new InvalidOperationException($"Migration failed: {ex.Message}\n--- piece ---\n{sql}\n--- script ---\n{script}", ex);
            }
        }
        tx?.Commit();
        tx?.Dispose();
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd.ExecuteNonQuery();
    }

    public List<object?[]> Rows(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public object? Scalar(string sql) => Rows(sql).FirstOrDefault()?[0];

    public string Q(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public void Dispose()
    {
        Connection.Dispose();
        if (Connection is SqliteConnection) SqliteConnection.ClearAllPools();
        _temp?.Dispose();
    }
}
