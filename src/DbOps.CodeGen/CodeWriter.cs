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

    /// <summary>Writes <paramref name="header"/> and an opening brace; disposing the result writes the closing brace (and <paramref name="suffix"/>).</summary>
    public BlockScope Block(string header, string suffix = "")
    {
        Open(header);
        return new BlockScope(this, suffix);
    }

    /// <summary>Closes a <see cref="Block"/> when disposed.</summary>
    public readonly struct BlockScope(CodeWriter writer, string suffix) : IDisposable
    {
        public void Dispose() => writer.Close(suffix);
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
