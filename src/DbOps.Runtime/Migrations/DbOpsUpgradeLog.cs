using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace DbOps.Runtime;

/// <summary>
/// DbUp's <see cref="IUpgradeLog"/> written to a Microsoft.Extensions.Logging <see cref="ILogger"/>, for running a plain
/// DbUp engine (e.g. with <see cref="DbOpsEmbeddedScriptProvider"/>) with the same logging as <c>MigrateAsync</c>.
/// DbUp's composite-format messages (<c>{0}</c>) are formatted before logging.
/// </summary>
public sealed class DbOpsUpgradeLog : IUpgradeLog
{
    private readonly ILogger _logger;

    /// <summary>Logs to <paramref name="logger"/>.</summary>
    public DbOpsUpgradeLog(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    private void Write(LogLevel level, Exception? exception, string format, object[] args)
    {
        if (!_logger.IsEnabled(level)) return;
        var message = args is { Length: > 0 } ? string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args) : format;
        _logger.Log(level, default, message, exception, static (m, _) => m);
    }

    /// <inheritdoc />
    public void LogTrace(string format, params object[] args) => Write(LogLevel.Trace, null, format, args);
    /// <inheritdoc />
    public void LogDebug(string format, params object[] args) => Write(LogLevel.Debug, null, format, args);
    /// <inheritdoc />
    public void LogInformation(string format, params object[] args) => Write(LogLevel.Information, null, format, args);
    /// <inheritdoc />
    public void LogWarning(string format, params object[] args) => Write(LogLevel.Warning, null, format, args);
    /// <inheritdoc />
    public void LogError(string format, params object[] args) => Write(LogLevel.Error, null, format, args);
    /// <inheritdoc />
    public void LogError(Exception ex, string format, params object[] args) => Write(LogLevel.Error, ex, format, args);
}
