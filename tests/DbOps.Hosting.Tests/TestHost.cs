using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DbOps.Hosting.Tests;

/// <summary>A real WebApplication on Kestrel, on a free loopback port, with its log lines collected.</summary>
public sealed class TestHost : IAsyncDisposable
{
    public WebApplication App { get; }
    public LogCollector Logs { get; }
    public HttpClient Http { get; private set; } = new();

    private TestHost(WebApplication app, LogCollector logs)
    {
        App = app;
        Logs = logs;
    }

    /// <summary>Builds the app: <paramref name="configure"/> registers services, <paramref name="map"/> maps endpoints.</summary>
    public static TestHost Create(string? connectionString, Action<WebApplicationBuilder> configure, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (connectionString is not null) builder.Configuration["ConnectionStrings:Default"] = connectionString;
        var logs = new LogCollector();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        configure(builder);
        var app = builder.Build();
        map?.Invoke(app);
        return new TestHost(app, logs);
    }

    public async Task StartAsync()
    {
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await App.StopAsync();
        }
        catch (Exception)
        {
            // A host that failed to start has nothing to stop.
        }
        await App.DisposeAsync();
    }
}

public sealed record LogLine(string Category, LogLevel Level, EventId Event, string Message, Exception? Exception);

public sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
