using DbOps.Runtime;
using DbUp.Engine;
using Microsoft.Extensions.Logging;

// Exit codes: 0 migrated, 1 DbOpsMigrationException, 2 bad arguments, 3 any other error.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: DbOps.MigratorHost <sqlite|postgresql|sqlserver> <connection string> <scripts folder>");
    return 2;
}
DbOpsProviderServices? provider = args[0].ToLowerInvariant() switch
{
    "sqlite" => DbOpsSqliteServices.Instance,
    "postgresql" => DbOpsPostgreSqlServices.Instance,
    "sqlserver" => DbOpsSqlServerServices.Instance,
    _ => null,
};
if (provider is null)
{
    Console.Error.WriteLine($"unknown provider '{args[0]}'");
    return 2;
}
var scripts = Directory.GetFiles(args[2], "*.sql")
    .Select(f => new SqlScript(Path.GetFileName(f), File.ReadAllText(f)))
    .ToList();
var logger = new ConsoleLogger();
try
{
    await using var dataSource = provider.CreateDataSource(args[1]);
    var result = await DbOpsMigrator.MigrateAsync(dataSource, provider, scripts, logger);
    Console.WriteLine($"RESULT applied={result.AppliedScripts.Count} already={result.AlreadyAppliedCount} scripts={string.Join(",", result.AppliedScripts)}");
    return 0;
}
catch (DbOpsMigrationException e)
{
    Console.Error.WriteLine($"MIGRATION ERROR {e}");
    return 1;
}
catch (Exception e)
{
    Console.Error.WriteLine($"ERROR {e}");
    return 3;
}

/// <summary>Writes every log line to stdout at once (tests wait for "Applying migration ...").</summary>
internal sealed class ConsoleLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (this)
        {
            Console.Out.WriteLine($"{logLevel}: {formatter(state, exception)}");
            Console.Out.Flush();
        }
    }
}
