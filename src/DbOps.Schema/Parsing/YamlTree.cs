using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DbOps.Schema.Parsing;

/// <summary>A YAML node with its 1-based position. Built by <see cref="YamlTreeReader"/> from YamlDotNet's event parser.</summary>
internal abstract class YNode
{
    protected YNode(SourceLocation location) => Location = location;
    public SourceLocation Location { get; }
    /// <summary>Number of nodes in this subtree (aliases counted with their full expansion).</summary>
    public long Size { get; set; } = 1;
    public abstract string KindName { get; }
}

internal sealed class YScalar(SourceLocation location, string value, ScalarStyle style) : YNode(location)
{
    public string Value { get; } = value;
    public ScalarStyle Style { get; } = style;
    public bool IsPlain => Style is ScalarStyle.Plain or ScalarStyle.Any;
    /// <summary>YAML null: an empty plain scalar, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && (Value.Length == 0 || Value == "~" || Value is "null" or "Null" or "NULL");
    public override string KindName => IsNull ? "nothing" : $"the value '{Shorten(Value)}'";

    internal static string Shorten(string s)
    {
        var oneLine = s.Replace("\r", "").Replace("\n", " ");
        return oneLine.Length <= 40 ? oneLine : oneLine[..37] + "...";
    }
}

internal sealed class YMapping(SourceLocation location, bool flow) : YNode(location)
{
    public bool Flow { get; } = flow;
    public List<(YScalar Key, YNode Value)> Entries { get; } = [];
    public override string KindName => "a mapping";
}

internal sealed class YSequence(SourceLocation location, bool flow) : YNode(location)
{
    public bool Flow { get; } = flow;
    public List<YNode> Items { get; } = [];
    public override string KindName => "a list";
}

/// <summary>
/// Reads one YAML document into a <see cref="YNode"/> tree with positions, detecting what the representation model
/// cannot report precisely: duplicate keys, non-scalar keys, excessive nesting or size, several documents.
/// Never throws: every problem becomes a diagnostic and the result is null when the tree is unusable.
/// </summary>
internal sealed class YamlTreeReader
{
    public const int MaxDepth = 64;
    public const long MaxNodes = 2_000_000;

    private readonly string _path;
    private readonly string _text;
    private readonly List<Diagnostic> _diagnostics;
    private readonly Dictionary<string, YNode> _anchors = new(StringComparer.Ordinal);
    private long _nodes;
    private readonly Stack<Mark> _openFlow = new();
    private IParser _parser = null!;

    private YamlTreeReader(string path, string text, List<Diagnostic> diagnostics)
    {
        _path = path;
        _text = text;
        _diagnostics = diagnostics;
    }

    /// <summary>
    /// Returns the root node, or null (with diagnostics) when the file is empty or unreadable;
    /// <c>empty</c> is true when the stream holds no document or only a null document.
    /// </summary>
    public static YNode? Read(string path, string text, List<Diagnostic> diagnostics, out bool empty)
    {
        var reader = new YamlTreeReader(path, text, diagnostics);
        return reader.ReadDocument(out empty);
    }

    private SourceLocation Loc(Mark mark) => new(_path, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private sealed class AbortException(Diagnostic diagnostic) : Exception(diagnostic.Message)
    {
        public Diagnostic Diagnostic { get; } = diagnostic;
    }

    private YNode? ReadDocument(out bool empty)
    {
        empty = false;
        Mark lastMark = Mark.Empty;
        try
        {
            _parser = new Parser(new StringReader(_text));
            Expect<StreamStart>();
            if (_parser.Current is StreamEnd || !MoveNext(ref lastMark) || _parser.Current is StreamEnd)
            {
                empty = true;
                return null;
            }
            if (_parser.Current is not DocumentStart) throw Abort(_parser.Current!.Start, "expected a YAML document");
            Next(ref lastMark);
            var root = ReadNode(1, ref lastMark);
            if (_parser.Current is not DocumentEnd) throw Abort(_parser.Current!.Start, "expected the end of the document");
            Next(ref lastMark);
            if (_parser.Current is DocumentStart second)
            {
                _diagnostics.Add(SchemaDiagnostics.MalformedYaml(Loc(second.Start),
                    "a schema file holds exactly one YAML document; remove the '---' or move the rest into another *.dbops.yaml file."));
                return null;
            }
            if (root is YScalar { IsNull: true })
            {
                empty = true;
                return null;
            }
            return root;
        }
        catch (AbortException ex)
        {
            _diagnostics.Add(ex.Diagnostic);
            return null;
        }
        catch (YamlException ex)
        {
            _diagnostics.Add(FromYamlException(ex));
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // YamlDotNet fails this way on some broken flow collections (e.g. an unclosed '[' followed by more lines).
            if (_openFlow.Count > 0)
            {
                _diagnostics.Add(SchemaDiagnostics.MalformedYaml(Loc(_openFlow.Peek()),
                    "the '[' or '{' opened here is not closed properly; check its brackets, commas and quotes."));
                return null;
            }
            var mark = _parser?.Current?.Start ?? lastMark;
            _diagnostics.Add(SchemaDiagnostics.MalformedYaml(Loc(mark), "the text could not be read as YAML; check the indentation, brackets and quotes near here."));
            return null;
        }
    }

    private Diagnostic FromYamlException(YamlException ex)
    {
        var message = ex.InnerException is YamlException inner && ex.Message.Length == 0 ? inner.Message : ex.Message;
        var start = ex.Start;
        var location = Loc(start);
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindTabIndentation(start.Line) is { } tab)
            return SchemaDiagnostics.MalformedYaml(tab, "tab characters cannot indent YAML; indent with spaces.");
        var tabAt = TabAtOrAfter(start);
        if (tabAt is not null)
            return SchemaDiagnostics.MalformedYaml(tabAt.Value, $"{Clean(message)} (tab characters cannot indent YAML; indent with spaces.)");
        return SchemaDiagnostics.MalformedYaml(location, Clean(message));
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes positions: "(Line: 3, Col: 1, Idx: 14) - (Line: 3, Col: 1, Idx: 14): While parsing ..."
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith('(') && i > 0) message = message[(i + 3)..];
        message = message.Trim();
        if (message.Length == 0) return "the text is not valid YAML.";
        message = char.ToLowerInvariant(message[0]) + message[1..];
        return message.EndsWith('.') ? message : message + ".";
    }

    /// <summary>The first tab used as indentation on or after the given line (1-based).</summary>
    private SourceLocation? FindTabIndentation(long fromLine)
    {
        var lines = SplitLines(_text);
        for (var i = (int)Math.Max(0, fromLine - 1); i < lines.Count; i++)
        {
            var line = lines[i];
            for (var c = 0; c < line.Length; c++)
            {
                if (line[c] == '\t')
                {
                    // Tab followed by content on an indentation run: that is the error.
                    var rest = line[c..].TrimStart(' ', '\t');
                    if (rest.Length > 0 && rest[0] != '#') return new SourceLocation(_path, i + 1, c + 1);
                    break;
                }
                if (line[c] != ' ') break;
            }
        }
        return null;
    }

    private SourceLocation? TabAtOrAfter(Mark mark)
    {
        var lines = SplitLines(_text);
        var li = (int)mark.Line - 1;
        if (li < 0 || li >= lines.Count) return null;
        var line = lines[li];
        var col = (int)mark.Column - 1;
        if (col >= 0 && col < line.Length && line[col] == '\t' && line[..col].Trim(' ', '\t').Length == 0)
            return new SourceLocation(_path, li + 1, col + 1);
        return null;
    }

    /// <summary>Lines as YAML counts them (\r\n, \r, \n, NEL, LS, PS are breaks).</summary>
    internal static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029')
            {
                lines.Add(text[start..i]);
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                start = i + 1;
            }
        }
        lines.Add(text[start..]);
        return lines;
    }

    private AbortException Abort(Mark mark, string message) =>
        new(SchemaDiagnostics.MalformedYaml(Loc(mark), message + "."));

    private void Expect<T>() where T : ParsingEvent
    {
        if (!_parser.MoveNext() || _parser.Current is not T) throw Abort(_parser.Current?.Start ?? Mark.Empty, "unexpected end of input");
    }

    private bool MoveNext(ref Mark last)
    {
        var ok = _parser.MoveNext();
        if (ok && _parser.Current is not null) last = _parser.Current.Start;
        return ok;
    }

    private void Next(ref Mark last)
    {
        if (!MoveNext(ref last)) throw Abort(last, "unexpected end of input");
    }

    private void Count(long n, Mark at)
    {
        _nodes += n;
        if (_nodes > MaxNodes)
            throw new AbortException(SchemaDiagnostics.TooComplex(Loc(at), $"more than {MaxNodes} YAML nodes (aliases count with their expansion)."));
    }

    private YNode ReadNode(int depth, ref Mark last)
    {
        var ev = _parser.Current!;
        switch (ev)
        {
            case Scalar scalar:
            {
                Count(1, scalar.Start);
                var node = new YScalar(Loc(scalar.Start), scalar.Value, scalar.Style);
                Register(scalar.Anchor, node);
                Next(ref last);
                return node;
            }
            case AnchorAlias alias:
            {
                var name = alias.Value.Value;
                if (!_anchors.TryGetValue(name, out var target))
                    throw Abort(alias.Start, $"the alias '*{name}' refers to no anchor defined before it");
                Count(target.Size, alias.Start);
                Next(ref last);
                return target;
            }
            case SequenceStart seq:
            {
                if (depth > MaxDepth)
                    throw new AbortException(SchemaDiagnostics.TooComplex(Loc(seq.Start), $"lists and mappings are nested more than {MaxDepth} levels deep."));
                Count(1, seq.Start);
                var node = new YSequence(Loc(seq.Start), seq.Style == SequenceStyle.Flow);
                if (node.Flow) _openFlow.Push(seq.Start);
                Next(ref last);
                while (_parser.Current is not SequenceEnd)
                {
                    var item = ReadNode(depth + 1, ref last);
                    node.Items.Add(item);
                    node.Size += item.Size;
                }
                Register(seq.Anchor, node);
                if (node.Flow) _openFlow.Pop();
                Next(ref last);
                return node;
            }
            case MappingStart map:
            {
                if (depth > MaxDepth)
                    throw new AbortException(SchemaDiagnostics.TooComplex(Loc(map.Start), $"lists and mappings are nested more than {MaxDepth} levels deep."));
                Count(1, map.Start);
                var node = new YMapping(Loc(map.Start), map.Style == MappingStyle.Flow);
                if (node.Flow) _openFlow.Push(map.Start);
                var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
                Next(ref last);
                while (_parser.Current is not MappingEnd)
                {
                    var keyStart = _parser.Current!.Start;
                    var key = ReadNode(depth + 1, ref last);
                    var value = ReadNode(depth + 1, ref last);
                    node.Size += key.Size + value.Size;
                    if (key is not YScalar keyScalar)
                    {
                        _diagnostics.Add(SchemaDiagnostics.WrongNodeKind(Loc(keyStart), "a mapping key", "a plain name", key.KindName));
                        continue;
                    }
                    if (seen.TryGetValue(keyScalar.Value, out var first))
                    {
                        _diagnostics.Add(SchemaDiagnostics.DuplicateKey(keyScalar.Location, keyScalar.Value, first));
                        continue;
                    }
                    seen[keyScalar.Value] = keyScalar.Location;
                    node.Entries.Add((keyScalar, value));
                }
                Register(map.Anchor, node);
                if (node.Flow) _openFlow.Pop();
                Next(ref last);
                return node;
            }
            default:
                throw Abort(ev.Start, $"unexpected {ev.GetType().Name}");
        }
    }

    private void Register(AnchorName anchor, YNode node)
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
    }
}
