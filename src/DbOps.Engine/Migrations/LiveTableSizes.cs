using DbOps.Schema.Model;
using Npgsql;

namespace DbOps.Engine.Migrations;

/// <summary>
/// Row estimates of a live PostgreSQL database for the table-rewrite warning (DBOPS3010): <c>pg_class.reltuples</c>
/// (kept by ANALYZE and autovacuum; reading it scans nothing) and the table's size on disk. Used only when the
/// targets pass <c>DbOpsConnectionString</c> (as the environment variable DBOPS_CONNECTION_STRING, never in a file).
/// A database that cannot be reached leaves the warning without an estimate.
/// </summary>
internal sealed class LiveTableSizes : IDisposable
{
    public const string ConnectionStringVariable = "DBOPS_CONNECTION_STRING";

    private readonly NpgsqlConnection _connection;

    private LiveTableSizes(NpgsqlConnection connection) => _connection = connection;

    public static LiveTableSizes? FromEnvironment(DbProvider provider)
    {
        var cs = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (provider != DbProvider.PostgreSql || string.IsNullOrWhiteSpace(cs)) return null;
        try
        {
            var connection = new NpgsqlConnection(cs);
            connection.Open();
            return new LiveTableSizes(connection);
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>"The live database estimates N rows (S) in t." or null when the table is not there.</summary>
    public string? Describe(string table)
    {
        try
        {
            using var command = new NpgsqlCommand(
                "SELECT c.reltuples::bigint, pg_size_pretty(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.oid = to_regclass(quote_ident(@t))",
                _connection);
            command.Parameters.AddWithValue("t", table);
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            var rows = reader.GetInt64(0);
            return rows < 0
                ? $"The live database has no row estimate for {table} yet (never analyzed; {reader.GetString(1)} on disk)."
                : $"The live database estimates {rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} rows in {table} (pg_class.reltuples, {reader.GetString(1)} with its indexes): the rewrite holds the lock for about as long as copying them.";
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    public void Dispose() => _connection.Dispose();
}
