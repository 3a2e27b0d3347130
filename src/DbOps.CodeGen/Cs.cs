using System.Globalization;
using System.Text;
using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>C# spelling helpers: literals, identifiers, CLR types of dbops types.</summary>
internal static class Cs
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract","as","base","bool","break","byte","case","catch","char","checked","class","const","continue","decimal",
        "default","delegate","do","double","else","enum","event","explicit","extern","false","finally","fixed","float","for",
        "foreach","goto","if","implicit","in","int","interface","internal","is","lock","long","namespace","new","null","object",
        "operator","out","override","params","private","protected","public","readonly","ref","return","sbyte","sealed","short",
        "sizeof","stackalloc","static","string","struct","switch","this","throw","true","try","typeof","uint","ulong","unchecked",
        "unsafe","ushort","using","virtual","void","volatile","while",
    };

    /// <summary>camelCase parameter name, @-escaped when it is a keyword.</summary>
    public static string Param(string name)
    {
        var camel = name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
        // Leading acronym: URLPath -> urlPath.
        var i = 1;
        while (i < name.Length && char.IsUpper(name[i]) && (i + 1 == name.Length || char.IsUpper(name[i + 1]))) i++;
        if (i > 1) camel = name[..i].ToLowerInvariant() + name[i..];
        return Keywords.Contains(camel) ? "@" + camel : camel;
    }

    public static string String(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085')
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    public static string ClrType(DbType t) => t.Kind switch
    {
        DbTypeKind.Bool => "bool",
        DbTypeKind.Int16 => "short",
        DbTypeKind.Int32 => "int",
        DbTypeKind.Int64 => "long",
        DbTypeKind.Float32 => "float",
        DbTypeKind.Float64 => "double",
        DbTypeKind.Decimal => "decimal",
        DbTypeKind.String or DbTypeKind.Json => "string",
        DbTypeKind.Binary => "byte[]",
        DbTypeKind.Guid => "Guid",
        DbTypeKind.Date => "DateOnly",
        DbTypeKind.Time => "TimeOnly",
        DbTypeKind.DateTime => "DateTime",
        DbTypeKind.DateTimeOffset => "DateTimeOffset",
        DbTypeKind.Enum => t.EnumName!,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static bool IsReference(DbType t) => t.Kind is DbTypeKind.String or DbTypeKind.Json or DbTypeKind.Binary;

    public static string ClrType(DbType t, bool nullable) => ClrType(t) + (nullable ? "?" : "");

    public static string Decimal(decimal d) => d.ToString(CultureInfo.InvariantCulture) + "m";

    public static string Double(double d) => d.ToString("R", CultureInfo.InvariantCulture) + "d";

    /// <summary>A C# expression for a column default (the model holds the converted CLR value).</summary>
    public static string Literal(object value, DbType type)
    {
        switch (type.Kind)
        {
            case DbTypeKind.Enum:
                return $"{type.EnumName}.{value}";
            case DbTypeKind.Bool: return Convert.ToBoolean(value, CultureInfo.InvariantCulture) ? "true" : "false";
            case DbTypeKind.Int16: return $"(short){Convert.ToInt16(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}";
            case DbTypeKind.Int32: return Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
            case DbTypeKind.Int64: return Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L";
            case DbTypeKind.Float32:
                var f = Convert.ToSingle(value, CultureInfo.InvariantCulture);
                return f.ToString("R", CultureInfo.InvariantCulture) + "f";
            case DbTypeKind.Float64: return Double(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case DbTypeKind.Decimal: return Decimal(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
            case DbTypeKind.String or DbTypeKind.Json: return String(Convert.ToString(value, CultureInfo.InvariantCulture)!);
            case DbTypeKind.Binary:
                var bytes = (byte[])value;
                return bytes.Length == 0 ? "global::System.Array.Empty<byte>()" : $"new byte[] {{ {string.Join(", ", bytes)} }}";
            case DbTypeKind.Guid:
                return $"new Guid({String(((Guid)value).ToString("D"))})";
            case DbTypeKind.Date:
                var d = (DateOnly)value;
                return $"new DateOnly({d.Year}, {d.Month}, {d.Day})";
            case DbTypeKind.Time:
                return $"new TimeOnly({((TimeOnly)value).Ticks}L)";
            case DbTypeKind.DateTime:
                var dt = (DateTime)value;
                return $"new DateTime({dt.Ticks}L, DateTimeKind.{dt.Kind})";
            case DbTypeKind.DateTimeOffset:
                var dto = (DateTimeOffset)value;
                return $"new DateTimeOffset({dto.Ticks}L, TimeSpan.FromTicks({dto.Offset.Ticks}L))";
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
    }
}
