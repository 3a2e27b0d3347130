using System.Globalization;

namespace DbOps.Runtime;

/// <summary>
/// Text forms SQLite columns store, exactly as EF Core's SQLite provider writes them (Microsoft.Data.Sqlite's
/// SqliteValueBinder and EFCore.Sqlite's Sqlite*TypeMapping): a database written by either reads the same in both.
/// </summary>
public static class SqliteValues
{
    /// <summary>Guid as uppercase TEXT, e.g. <c>3F2504E0-4F89-11D3-9A0C-0305E82C3301</c>.</summary>
    public static string Guid(Guid value) => value.ToString().ToUpperInvariant();

    /// <summary>decimal as TEXT with format <c>0.0###########################</c>.</summary>
    public static string Decimal(decimal value) => value.ToString("0.0###########################", CultureInfo.InvariantCulture);

    /// <summary>DateTime as TEXT <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> (Kind is not stored).</summary>
    public static string DateTime(DateTime value) => value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>DateTimeOffset as TEXT <c>yyyy-MM-dd HH:mm:ss.FFFFFFFzzz</c>.</summary>
    public static string DateTimeOffset(DateTimeOffset value) => value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    /// <summary>DateOnly as TEXT <c>yyyy-MM-dd</c>.</summary>
    public static string Date(DateOnly value) => value.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture);

    /// <summary>TimeOnly as TEXT <c>HH:mm:ss</c>, or <c>HH:mm:ss.fffffff</c> when it has a fraction of a second.</summary>
    public static string Time(TimeOnly value) => value.Ticks % TimeSpan.TicksPerSecond == 0
        ? value.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
        : value.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    /// <summary>bool as INTEGER 0/1.</summary>
    public static long Bool(bool value) => value ? 1L : 0L;
}
