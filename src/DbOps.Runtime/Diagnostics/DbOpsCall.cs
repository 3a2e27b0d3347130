using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace DbOps.Runtime;

/// <summary>
/// One repository or query call being traced, measured or logged: from the session's first command on a connection to
/// the release of that connection. Created only when something listens (a span or metric listener, a Debug logger).
/// </summary>
internal sealed class DbOpsCall
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly OperationInfo _info;
    private readonly Activity? _activity;
    private DbCommand _command;
    private string _sql;
    private string? _errorType;
    private Exception? _error;

    private DbOpsCall(OperationInfo info, DbCommand command, string sql, Activity? activity)
    {
        _info = info;
        _command = command;
        _sql = sql;
        _activity = activity;
    }

    public static DbOpsCall Start(DbConnection connection, DbCommand command, string sql)
    {
        var info = OperationInfo.Of(connection, sql);
        Activity? activity = null;
        if (!DbOpsTelemetry.DriverTraces(info.System) &&
            DbOpsTelemetry.Source.StartActivity(info.SpanName, ActivityKind.Client) is { } a)
        {
            activity = a;
            if (a.IsAllDataRequested)
            {
                a.SetTag("db.system", info.System);
                a.SetTag("db.system.name", info.System);
                if (info.Operation is { } op) a.SetTag("db.operation.name", op);
                if (info.Collection is { } table) a.SetTag("db.collection.name", table);
                a.SetTag("db.query.text", sql);
            }
        }
        return new DbOpsCall(info, command, sql, activity);
    }

    /// <summary>A later command of the same call (bulk staging, identity sync): logged when the next one starts.</summary>
    public void Next(DbCommand command, string sql, DbOpsSqlLogger? log)
    {
        log?.Executed(_command, _sql, Stopwatch.GetElapsedTime(_started), null);
        _command = command;
        _sql = sql;
    }

    public void Fail(Exception exception)
    {
        _error ??= exception;
        _errorType ??= exception.GetType().FullName;
    }

    public void End(DbOpsSqlLogger? log)
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        log?.Executed(_command, _sql, elapsed, _error);
        if (_activity is { } a)
        {
            if (_errorType is { } error)
            {
                a.SetStatus(ActivityStatusCode.Error, _error?.Message);
                a.SetTag("error.type", error);
            }
            a.Stop();
        }
        if (DbOpsTelemetry.OperationDuration.Enabled)
        {
            var tags = new TagList { { "db.system.name", _info.System } };
            if (_info.Operation is { } op) tags.Add("db.operation.name", op);
            if (_info.Collection is { } table) tags.Add("db.collection.name", table);
            if (_errorType is { } error) tags.Add("error.type", error);
            DbOpsTelemetry.OperationDuration.Record(elapsed.TotalSeconds, tags);
        }
    }

    /// <summary>What the conventions want from a statement: its first keyword and the table it works on, parsed once per SQL text.</summary>
    private sealed record OperationInfo(string System, string? Operation, string? Collection, string SpanName)
    {
        private static readonly ConcurrentDictionary<(Type, string), OperationInfo> Cache = new();

        public static OperationInfo Of(DbConnection connection, string sql) =>
            Cache.GetOrAdd((connection.GetType(), sql), static key => Parse(SystemOf(key.Item1), key.Item2));

        private static string SystemOf(Type connectionType) => connectionType.Namespace switch
        {
            "Microsoft.Data.Sqlite" => "sqlite",
            "Npgsql" => "postgresql",
            "Microsoft.Data.SqlClient" or "System.Data.SqlClient" => "microsoft.sql_server",
            _ => "other_sql",
        };

        private static OperationInfo Parse(string system, string sql)
        {
            var words = sql.Split([' ', '\n', '\r', '\t', '(', ')', ','], StringSplitOptions.RemoveEmptyEntries);
            var operation = words.Length > 0 ? words[0].ToUpperInvariant() : null;
            // The first table the statement names: INSERT INTO t, UPDATE t, DELETE FROM t, SELECT ... FROM t, MERGE INTO t, COPY t.
            var marker = operation switch
            {
                "INSERT" or "MERGE" => "INTO",
                "UPDATE" or "COPY" => operation,
                "SELECT" or "DELETE" or "WITH" => "FROM",
                _ => null,
            };
            string? collection = null;
            if (marker is not null)
            {
                var i = Array.FindIndex(words, w => w.Equals(marker, StringComparison.OrdinalIgnoreCase));
                if (i >= 0 && i + 1 < words.Length) collection = Unquote(words[i + 1]);
            }
            var span = collection is null ? operation ?? system : $"{operation} {collection}";
            return new OperationInfo(system, operation, collection, span);
        }

        private static string? Unquote(string name)
        {
            var s = name.Trim('"', '[', ']', '`', ';');
            if (s.Length == 0 || s.StartsWith('@') || s.StartsWith('$')) return null;
            return s.Replace("\".\"", ".").Replace("].[", ".");
        }
    }
}

/// <summary>The session's registry of running calls, keyed by their connection (one call at a time uses a connection).</summary>
internal sealed class DbOpsCalls
{
    private readonly ConcurrentDictionary<DbConnection, DbOpsCall> _calls = new(ReferenceEqualityComparer.Instance);

    public void Command(DbConnection connection, DbCommand command, string sql, DbOpsSqlLogger? log)
    {
        if (_calls.TryGetValue(connection, out var call)) call.Next(command, sql, log);
        else _calls[connection] = DbOpsCall.Start(connection, command, sql);
    }

    public void Fail(DbConnection connection, Exception exception)
    {
        if (_calls.TryGetValue(connection, out var call)) call.Fail(exception);
    }

    public void End(DbConnection connection, DbOpsSqlLogger? log)
    {
        if (_calls.TryRemove(connection, out var call)) call.End(log);
    }
}

/// <summary>
/// Logs each command's SQL at Debug after it ran (category <c>DbOps.Command</c>), with its parameters as <c>@name='?'</c>,
/// or with their values when sensitive data logging is on (the rule of EF Core's <c>EnableSensitiveDataLogging</c>).
/// Npgsql resets a disposed command for reuse, so on PostgreSQL the line has the SQL without parameters, and the values
/// come from Npgsql's own command log (parameter logging is switched on with sensitive data logging).
/// </summary>
internal sealed partial class DbOpsSqlLogger(ILogger logger, bool sensitiveDataLogging)
{
    public bool Enabled => logger.IsEnabled(LogLevel.Debug);

    public void Executed(DbCommand command, string sql, TimeSpan elapsed, Exception? error)
    {
        var level = error is null ? LogLevel.Debug : LogLevel.Error;
        if (!logger.IsEnabled(level)) return;
        var ms = elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        // A command reset by its driver after use (Npgsql) no longer has its text or parameters.
        var parameters = command.CommandText == sql ? Parameters(command) : "";
        if (error is null) CommandExecuted(logger, ms, parameters, sql);
        else CommandFailed(logger, ms, parameters, sql, error);
    }

    private string Parameters(DbCommand command)
    {
        var sb = new StringBuilder(" [Parameters=[");
        var first = true;
        foreach (DbParameter p in command.Parameters)
        {
            if (!first) sb.Append(", ");
            first = false;
            var name = p.ParameterName.Length > 0 && p.ParameterName[0] is '@' or ':' or '$' ? p.ParameterName : "@" + p.ParameterName;
            sb.Append(name).Append('=');
            if (!sensitiveDataLogging) sb.Append("'?'");
            else if (p.Value is null or DBNull) sb.Append("NULL");
            else if (p.Value is byte[] bytes) sb.Append("0x").Append(Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, 32))).Append(bytes.Length > 32 ? "..." : "");
            else sb.Append('\'').Append(Convert.ToString(p.Value, CultureInfo.InvariantCulture)).Append('\'');
        }
        return sb.Append("]]").ToString();
    }

    [LoggerMessage(EventId = 4120, EventName = "DbOpsCommandExecuted", Level = LogLevel.Debug,
        Message = "Executed DbCommand ({ElapsedMilliseconds} ms){Parameters}\n{CommandText}")]
    private static partial void CommandExecuted(ILogger logger, string elapsedMilliseconds, string parameters, string commandText);

    [LoggerMessage(EventId = 4121, EventName = "DbOpsCommandFailed", Level = LogLevel.Error,
        Message = "Failed executing DbCommand ({ElapsedMilliseconds} ms){Parameters}\n{CommandText}")]
    private static partial void CommandFailed(ILogger logger, string elapsedMilliseconds, string parameters, string commandText, Exception exception);
}
