using System.Text;
using System.Text.RegularExpressions;

namespace DbOps.Schema.Tests;

/// <summary>
/// Mutates valid schemas thousands of times (deterministically) and checks that every outcome is either a model without
/// errors or at least one coded DBOPS error at a position inside the file, and never an exception or an internal error.
/// </summary>
public partial class FuzzTests
{
    private const int MutationsPerSchema = 2000;

    private static readonly string[] Fragments =
    [
        "\t", "  ", "    ", "[", "]", "{", "}", ":", ": ", ",", "'", "\"", "-", "- ", "#", "?", "&a ", "*a", "!!str ", "|", ">", "%",
        "@", "`", "\\", "\n", "\r\n", "\r", "é", "ß", "日本", "😀", "\u2028", "\u0085", "\0", "\uFEFF", "\uD800", "decimal(12,2)",
        "string(0)", "int64", "null", "~", "true", "yes", "---", "...", "primaryKey: true", "references: X", "default: 1",
        "<<: *a", "{ type: int32 }", "[A, B]", "0x1F", "1e400", "-", "Id", "Customer", "@since", "$$",
    ];

    [GeneratedRegex(@"^DBOPS\d{4}$")]
    private static partial Regex CodeShape();

    [Fact]
    public void MutatedSchemasNeverCrashAndAlwaysAnswerWithCodes()
    {
        var total = 0;
        var withErrors = 0;
        for (var s = 0; s < Schemas.All.Length; s++)
        {
            var random = new Random(1234 + s);
            var source = Schemas.All[s];
            for (var i = 0; i < MutationsPerSchema; i++)
            {
                var text = source;
                var steps = 1 + random.Next(3);
                for (var k = 0; k < steps; k++) text = Mutate(text, random);
                // Sometimes keep mutating the mutant, so damage accumulates.
                if (random.Next(4) == 0) source = text.Length < 20_000 ? text : Schemas.All[s];
                if (Check(text, $"schema {s}, mutation {i}")) withErrors++;
                total++;
            }
        }
        Assert.True(total >= 5000);
        Assert.True(withErrors > total / 10, $"only {withErrors} of {total} mutants had errors; the mutator is too gentle");
    }

    [Fact]
    public void MultiFileMutantsToo()
    {
        var random = new Random(99);
        for (var i = 0; i < 500; i++)
        {
            var a = Mutate(Schemas.Spec, random);
            var b = Mutate(Schemas.Blog, random);
            SchemaLoadResult r;
            try
            {
                r = SchemaLoader.Load([new SchemaSource("dbops.yaml", a), new SchemaSource("blog.dbops.yaml", b)], random.Next(5) == 0 ? "postgres" : null);
            }
            catch (Exception ex)
            {
                Assert.Fail($"Load threw for mutant {i}: {ex}");
                return;
            }
            Assert.Equal(r.Model is null, r.HasErrors);
            Assert.DoesNotContain(r.Diagnostics, d => d.Code == "DBOPS1999");
        }
    }

    /// <summary>Returns true when the mutant had errors.</summary>
    private static bool Check(string text, string what)
    {
        SchemaLoadResult r;
        try
        {
            r = SchemaLoader.Load([new SchemaSource("dbops.yaml", text)]);
        }
        catch (Exception ex)
        {
            Assert.Fail($"Load threw for {what}: {ex}\n--- input ---\n{text}");
            throw;
        }
        var lines = CountLines(text);
        foreach (var d in r.Diagnostics)
        {
            Assert.True(CodeShape().IsMatch(d.Code), $"{what}: bad code {d.Code}");
            Assert.True(d.Code != "DBOPS1999", $"{what}: internal error {d}\n--- input ---\n{text}");
            Assert.Equal("dbops.yaml", d.Location.File);
            Assert.True(d.Location.Line >= 1 && d.Location.Line <= lines + 1, $"{what}: line out of range ({lines} lines): {d}");
            Assert.True(d.Location.Column >= 1, $"{what}: column out of range: {d}");
            Assert.False(string.IsNullOrWhiteSpace(d.Message));
            Assert.DoesNotContain("   at ", d.Message); // never a stack trace
            Assert.True(IsPrintableLine(d.ToCanonicalString()), $"{what}: unprintable message {d}");
        }
        if (r.HasErrors)
        {
            Assert.Null(r.Model);
            Assert.Contains(r.Diagnostics, d => d.IsError);
            return true;
        }
        Assert.NotNull(r.Model);
        return false;
    }

    private static bool IsPrintableLine(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsControl(c)) return false;
            if (char.IsHighSurrogate(c) && (i + 1 >= s.Length || !char.IsLowSurrogate(s[++i]))) return false;
            if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }

    private static int CountLines(string text)
    {
        var n = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\u0085' or '\u2028' or '\u2029') n++;
            else if (c == '\r')
            {
                n++;
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
            }
        }
        return n;
    }

    private static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var li = random.Next(lines.Count);
        switch (random.Next(9))
        {
            case 0: // delete a line
                if (lines.Count > 1) lines.RemoveAt(li);
                break;
            case 1: // duplicate a line
                lines.Insert(li, lines[li]);
                break;
            case 2: // swap two lines
                var lj = random.Next(lines.Count);
                (lines[li], lines[lj]) = (lines[lj], lines[li]);
                break;
            case 3: // change indentation
                var line = lines[li];
                var trimmed = line.TrimStart(' ');
                var indent = Math.Max(0, line.Length - trimmed.Length + random.Next(-3, 4));
                lines[li] = (random.Next(6) == 0 ? "\t" : new string(' ', indent)) + trimmed;
                break;
            case 4: // truncate the file
                return text[..random.Next(text.Length + 1)];
            case 5: // delete a span of characters
            {
                var at = random.Next(text.Length + 1);
                var len = Math.Min(text.Length - at, random.Next(1, 12));
                return text.Remove(at, len);
            }
            case 6: // replace a character
            {
                if (text.Length == 0) return text;
                var at = random.Next(text.Length);
                return text[..at] + Fragments[random.Next(Fragments.Length)] + text[(at + 1)..];
            }
            default: // insert a fragment
            {
                var at = random.Next(text.Length + 1);
                var sb = new StringBuilder(text);
                sb.Insert(at, Fragments[random.Next(Fragments.Length)]);
                return sb.ToString();
            }
        }
        return string.Join('\n', lines);
    }
}
