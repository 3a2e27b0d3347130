using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DbOps.Runtime;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> named <c>DbOps</c>: one span per repository or query call with
/// the OpenTelemetry database conventions (<c>db.system</c>, <c>db.system.name</c>, <c>db.operation.name</c>,
/// <c>db.collection.name</c>, <c>db.query.text</c>, which holds parameter placeholders only), the histogram
/// <c>db.client.operation.duration</c> (seconds) and the counter <c>dbops.migrations.applied</c>. Listen with
/// <c>.AddSource("DbOps")</c> and <c>.AddMeter("DbOps")</c>.
/// </summary>
/// <remarks>
/// On PostgreSQL, when Npgsql's own tracing is on (an OpenTelemetry <c>.AddNpgsql()</c>, i.e. a listener of the
/// <c>Npgsql</c> source), DbOps emits no span: Npgsql's span for the command is the database span, so each command
/// appears once. Either span is a child of the span current at the call (the ASP.NET Core request span).
/// </remarks>
public static class DbOpsTelemetry
{
    /// <summary>The name of the activity source and of the meter: <c>DbOps</c>.</summary>
    public const string Name = "DbOps";

    private static readonly string? Version = typeof(DbOpsTelemetry).Assembly.GetName().Version?.ToString();

    internal static readonly ActivitySource Source = new(Name, Version);

    internal static readonly Meter Meter = new(Name, Version);

    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>("db.client.operation.duration", "s",
        "Duration of DbOps repository and query calls.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });

    internal static readonly Counter<long> MigrationsApplied = Meter.CreateCounter<long>("dbops.migrations.applied", "{migration}",
        "Migration scripts applied by MigrateAsync.");

    // Never starts an activity: only asks whether anything listens to Npgsql's source (whose own spans then stand for the commands).
    private static readonly ActivitySource NpgsqlSource = new("Npgsql");

    internal static bool Enabled => Source.HasListeners() || OperationDuration.Enabled;

    internal static bool DriverTraces(string system) => system == "postgresql" && NpgsqlSource.HasListeners();
}
