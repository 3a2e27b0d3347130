using System.Text;

namespace DbOps.CodeGen;

/// <summary>A tiny indenting writer; output always uses \n line endings so it is identical on every OS.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0) _sb.Append(' ', _indent * 4).Append(text);
        _sb.Append('\n');
        return this;
    }

    public CodeWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
        return this;
    }

    public CodeWriter Indent() { _indent++; return this; }
    public CodeWriter Outdent() { _indent--; return this; }

    public CodeWriter Summary(string text)
    {
        Line($"/// <summary>{Xml(text)}</summary>");
        return this;
    }

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")
        .Replace("\r\n", " ").Replace('\n', ' ');

    public override string ToString() => _sb.ToString();
}
