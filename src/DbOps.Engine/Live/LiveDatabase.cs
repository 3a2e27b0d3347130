using System.Data.Common;
using DbOps.Engine.Migrations;
using DbOps.Schema.Model;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DbOps.Engine.Live;

/// <summary>
/// Opens the live database a target names: the connection string comes only from the environment variable
/// DBOPS_CONNECTION_STRING (the targets put DbOpsConnectionString there, never into a file), and no message that leaves
/// the engine carries its password.
/// </summary>
internal static class LiveDatabase
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable(LiveTableSizes.ConnectionStringVariable) is { Length: > 0 } cs
        ? cs
        : null;

    /// <summary>Opens a connection, or reports <paramref name="failed"/> (the server's message, without the password) and returns null.</summary>
    public static DbConnection? Open(DbProvider provider, string connectionString, string projectDir, bool readOnly, Action<string> failed)
    {
        DbConnection? connection = null;
        try
        {
            connection = provider switch
            {
                // Read-only: an import never creates a missing file or writes to the database.
                DbProvider.Sqlite => new SqliteConnection(SqliteConnectionString(connectionString, projectDir, readOnly)),
                DbProvider.PostgreSql => new NpgsqlConnection(connectionString),
                _ => new SqlConnection(connectionString),
            };
            connection.Open();
            return connection;
        }
        catch (Exception e) when (e is DbException or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException
                                      or System.Net.Sockets.SocketException or TimeoutException or IOException)
        {
            connection?.Dispose();
            failed(Redact(connectionString, Message(e)));
            return null;
        }
    }

    /// <summary>A relative SQLite file is relative to the project; read-only never creates a missing file.</summary>
    private static string SqliteConnectionString(string connectionString, string projectDir, bool readOnly)
    {
        var b = new SqliteConnectionStringBuilder(connectionString) { Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite };
        if (b.DataSource is { Length: > 0 } file && file != ":memory:" && !file.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !Path.IsPathRooted(file))
            b.DataSource = Path.GetFullPath(Path.Combine(projectDir, file));
        return b.ToString();
    }

    private static string Message(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (!message.Contains(inner.Message, StringComparison.Ordinal)) message += " (" + inner.Message + ")";
        return message;
    }

    /// <summary>The text with the connection string's password (and the whole connection string) replaced by ***.</summary>
    public static string Redact(string connectionString, string text)
    {
        var result = text.Replace(connectionString, "***", StringComparison.Ordinal);
        try
        {
            var b = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in new[] { "password", "pwd" })
                if (b.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } secret)
                    result = result.Replace(secret, "***", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            // Not parseable: nothing more to find in it.
        }
        return result;
    }
}
