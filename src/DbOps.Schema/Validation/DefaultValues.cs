using System.Globalization;
using DbOps.Schema.Model;

namespace DbOps.Schema.Validation;

/// <summary>Converts a <c>default:</c> text to the column's CLR value (see ColumnModel.Default).</summary>
public static class DefaultValues
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    private static readonly string[] OffsetFormats =
    [
        "yyyy-MM-ddTHH:mmzzz", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd HH:mmzzz", "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    private static readonly string[] TimeFormats = ["HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF"];

    /// <summary>Converts <paramref name="text"/>; returns false with a reason when it is not a value of <paramref name="type"/>.</summary>
    /// <remarks>Enum defaults are checked by the caller (member names); here they pass through as the text.</remarks>
    public static bool TryConvert(string text, DbType type, out object? value, out string reason)
    {
        value = null;
        reason = "";
        var t = text.Trim();
        switch (type.Kind)
        {
            case DbTypeKind.Bool:
                if (t.Equals("true", StringComparison.OrdinalIgnoreCase)) { value = true; return true; }
                if (t.Equals("false", StringComparison.OrdinalIgnoreCase)) { value = false; return true; }
                reason = "use true or false.";
                return false;
            case DbTypeKind.Int16:
                if (short.TryParse(t, NumberStyles.AllowLeadingSign, Inv, out var s)) { value = s; return true; }
                reason = $"expected a whole number from {short.MinValue} to {short.MaxValue}.";
                return false;
            case DbTypeKind.Int32:
                if (int.TryParse(t, NumberStyles.AllowLeadingSign, Inv, out var i)) { value = i; return true; }
                reason = $"expected a whole number from {int.MinValue} to {int.MaxValue}.";
                return false;
            case DbTypeKind.Int64:
                if (long.TryParse(t, NumberStyles.AllowLeadingSign, Inv, out var l)) { value = l; return true; }
                reason = $"expected a whole number from {long.MinValue} to {long.MaxValue}.";
                return false;
            case DbTypeKind.Float32:
                if (float.TryParse(t, NumberStyles.Float, Inv, out var f) && float.IsFinite(f)) { value = f; return true; }
                reason = "expected a finite number.";
                return false;
            case DbTypeKind.Float64:
                if (double.TryParse(t, NumberStyles.Float, Inv, out var d) && double.IsFinite(d)) { value = d; return true; }
                reason = "expected a finite number.";
                return false;
            case DbTypeKind.Decimal:
                if (!decimal.TryParse(t, NumberStyles.Number & ~NumberStyles.AllowThousands | NumberStyles.AllowExponent, Inv, out var m))
                {
                    reason = "expected a number.";
                    return false;
                }
                if (type.Precision is { } p)
                {
                    var scale = type.Scale ?? 0;
                    if (DecimalScale(m) > scale)
                    {
                        reason = $"it has more than {scale} digits after the decimal point.";
                        return false;
                    }
                    var integerDigits = IntegerDigits(m);
                    if (integerDigits > p - scale)
                    {
                        reason = $"it has more than {p - scale} digits before the decimal point.";
                        return false;
                    }
                }
                value = m;
                return true;
            case DbTypeKind.String:
            case DbTypeKind.Enum:
                if (type.Length is { } n && text.Length > n)
                {
                    reason = $"it is longer than {n} characters.";
                    return false;
                }
                value = text;
                return true;
            case DbTypeKind.Json:
                try
                {
                    using var _ = System.Text.Json.JsonDocument.Parse(text);
                }
                catch (System.Text.Json.JsonException)
                {
                    reason = "it is not valid JSON.";
                    return false;
                }
                value = text;
                return true;
            case DbTypeKind.Binary:
                try
                {
                    var bytes = Convert.FromBase64String(t);
                    if (type.Length is { } len && bytes.Length > len)
                    {
                        reason = $"it decodes to {bytes.Length} bytes, more than {len}.";
                        return false;
                    }
                    value = bytes;
                    return true;
                }
                catch (FormatException)
                {
                    reason = "binary defaults are written in base64.";
                    return false;
                }
            case DbTypeKind.Guid:
                if (Guid.TryParseExact(t, "D", out var g)) { value = g; return true; }
                reason = "expected a GUID like 00000000-0000-0000-0000-000000000000.";
                return false;
            case DbTypeKind.Date:
                if (DateOnly.TryParseExact(t, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var date)) { value = date; return true; }
                reason = "expected a date like 2024-12-31.";
                return false;
            case DbTypeKind.Time:
                if (TimeOnly.TryParseExact(t, TimeFormats, Inv, DateTimeStyles.None, out var time)) { value = time; return true; }
                reason = "expected a time like 13:45 or 13:45:30.";
                return false;
            case DbTypeKind.DateTime:
                if (DateTime.TryParseExact(t, DateTimeFormats, Inv, DateTimeStyles.None, out var dt)) { value = dt; return true; }
                reason = "expected a date and time without offset like 2024-12-31T13:45:00.";
                return false;
            case DbTypeKind.DateTimeOffset:
                if (DateTimeOffset.TryParseExact(t, OffsetFormats, Inv, DateTimeStyles.None, out var dto)) { value = dto; return true; }
                if (DateTimeOffset.TryParseExact(t, DateTimeFormats, Inv, DateTimeStyles.AssumeUniversal, out dto)) { value = dto; return true; }
                reason = "expected a date and time like 2024-12-31T13:45:00Z or 2024-12-31T13:45:00+01:00.";
                return false;
            default:
                reason = "defaults are not supported for this type.";
                return false;
        }
    }

    private static int DecimalScale(decimal value)
    {
        value /= 1.000000000000000000000000000000000m; // strip trailing zeros
        return (decimal.GetBits(value)[3] >> 16) & 0xFF;
    }

    private static int IntegerDigits(decimal value)
    {
        var integer = Math.Abs(decimal.Truncate(value));
        return integer == 0 ? 0 : integer.ToString(CultureInfo.InvariantCulture).Length;
    }
}
