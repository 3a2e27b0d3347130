using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DbOps.Schema.Parsing;
using DbOps.Schema.Validation;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace DbOps.Schema.Tests;

/// <summary>
/// docs/dbops.schema.json (the editor's JSON Schema of dbops.yaml) against the real loader: every valid schema in the
/// repository passes it, every rejected one whose errors the JSON Schema can express fails it, and its keys, enum values
/// and keyword lists are the parser's.
/// </summary>
public partial class JsonSchemaTests
{
    private static readonly string RepoRoot = FindRepoRoot();
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoRoot, "docs", "dbops.schema.json"))));
    private static readonly JsonDocument SchemaDocument = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot, "docs", "dbops.schema.json")));

    /// <summary>
    /// Loader codes whose every occurrence is a rule the JSON Schema states (version, unknown keys, value kinds, enum
    /// values, identifiers, keywords, type shapes, required keys, YAML's decimal comma split).
    /// </summary>
    private static readonly HashSet<string> Expressible =
        ["DBOPS1001", "DBOPS1005", "DBOPS1007", "DBOPS1008", "DBOPS1011", "DBOPS1012", "DBOPS1023", "DBOPS1026", "DBOPS1028", "DBOPS1034"];

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "dbops.schema.json"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("docs/dbops.schema.json not found above " + AppContext.BaseDirectory);
    }

    // ---------------------------------------------------------------- YAML -> JSON, as an editor's YAML language server reads it

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex YamlInt();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlFloat();

    /// <summary>The JSON of a YAML document (YAML 1.2 core schema for plain scalars); null for an empty document.</summary>
    internal static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var o = new JsonObject();
                foreach (var (k, v) in map.Children) o[((YamlScalarNode)k).Value ?? ""] = Convert(v);
                return o;
            case YamlSequenceNode seq:
                var a = new JsonArray();
                foreach (var item in seq.Children) a.Add(Convert(item));
                return a;
            case YamlScalarNode s:
                var text = s.Value ?? "";
                if (s.Style != YamlDotNet.Core.ScalarStyle.Plain) return JsonValue.Create(text);
                if (text is "" or "~" or "null" or "Null" or "NULL") return null;
                if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
                if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
                if (YamlInt().IsMatch(text)) return JsonValue.Create(decimal.Parse(text, CultureInfo.InvariantCulture));
                if (YamlFloat().IsMatch(text)) return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
                return JsonValue.Create(text);
            default:
                throw new InvalidOperationException("unexpected YAML node " + node.NodeType);
        }
    }

    private static EvaluationResults Evaluate(string yaml)
    {
        var json = ToJson(yaml);
        var element = JsonSerializer.SerializeToElement(json);
        return Schema.Value.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Errors(EvaluationResults r) =>
        string.Join("\n", (r.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")));

    // ---------------------------------------------------------------- the schemas of this repository

    /// <summary>Every schema file in the repository: dbops.yaml, *.dbops.yaml and the migration snapshots.</summary>
    public static IEnumerable<object[]> RepositoryFiles() =>
        Directory.EnumerateFiles(RepoRoot, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoRoot, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "obj" or "bin" or "artifacts" or ".git" or "TestResults"))
            .Where(f => Path.GetFileName(f) is "dbops.yaml" or "dbops.snapshot.yaml" || f.EndsWith(".dbops.yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(RepositoryFiles))]
    public void Every_schema_file_of_the_repository_is_valid(string relativePath)
    {
        var file = File.ReadAllText(Path.Combine(RepoRoot, relativePath));
        // A template's schema names its provider through the symbol `dotnet new` replaces (--provider): check each value.
        string[] texts = file.Contains(TemplateProviderSymbol, StringComparison.Ordinal)
            ? new[] { "sqlite", "postgresql" }.Select(p => file.Replace(TemplateProviderSymbol, p, StringComparison.Ordinal)).ToArray()
            : [file];
        foreach (var text in texts)
        {
            var loaded = TestUtil.Load(text, relativePath);
            Assert.False(loaded.HasErrors, TestUtil.Dump(loaded));
            var r = Evaluate(text);
            Assert.True(r.IsValid, relativePath + ":\n" + Errors(r));
        }
    }

    private const string TemplateProviderSymbol = "DBOPS_PROVIDER";

    [Fact]
    public void The_repository_has_schema_files_to_check() => Assert.True(RepositoryFiles().Count() >= 4);

    [GeneratedRegex("(?<!\\$)(\"\"\"+)[ \\t]*\\r?\\n(?<body>.*?)\\r?\\n(?<indent>[ \\t]*)\\1", RegexOptions.Singleline)]
    private static partial Regex RawString();

    /// <summary>Every raw string literal (not interpolated) in the test sources that is a schema file (has a <c>dbops:</c> line).</summary>
    private static List<(string Where, string Yaml)> TestSchemas()
    {
        var result = new List<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoRoot, "tests"), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin")) continue;
            var source = File.ReadAllText(file);
            foreach (Match m in RawString().Matches(source))
            {
                var indent = m.Groups["indent"].Value;
                var lines = m.Groups["body"].Value.Split('\n').Select(l => l.TrimEnd('\r'))
                    .Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart()).ToList();
                if (!lines.Any(l => l.StartsWith("dbops:", StringComparison.Ordinal) || l.StartsWith("name:", StringComparison.Ordinal))) continue;
                if (lines.Any(l => l.Contains('\t'))) continue; // tab indentation: malformed YAML, nothing a JSON Schema sees
                var line = source[..m.Index].Count(c => c == '\n') + 1;
                result.Add(($"{Path.GetRelativePath(RepoRoot, file)}:{line}", string.Join("\n", lines) + "\n"));
            }
        }
        result.Add(("Schemas.Spec", Schemas.Spec));
        return result;
    }

    [Fact]
    public void Every_schema_in_the_tests_that_the_loader_accepts_is_valid_and_every_rejected_one_it_can_express_is_invalid()
    {
        int valid = 0, rejected = 0, notExpressible = 0;
        var failures = new List<string>();
        foreach (var (where, yaml) in TestSchemas())
        {
            var loaded = TestUtil.Load(yaml);
            var errors = loaded.Diagnostics.Where(d => d.IsError).Select(d => d.Code).Distinct().ToList();
            if (errors.Contains("DBOPS1002") || errors.Contains("DBOPS1006")) continue; // malformed YAML / duplicate keys: no JSON
            EvaluationResults r;
            try { r = Evaluate(yaml); }
            catch (YamlDotNet.Core.YamlException) { continue; }
            if (errors.Count == 0)
            {
                valid++;
                if (!r.IsValid) failures.Add($"{where}: the loader accepts it, the JSON Schema does not:\n{Errors(r)}\n{yaml}");
            }
            else if (errors.All(Expressible.Contains))
            {
                rejected++;
                if (r.IsValid) failures.Add($"{where}: the loader rejects it ({string.Join(", ", errors)}), the JSON Schema accepts it:\n{TestUtil.Dump(loaded)}\n{yaml}");
            }
            else notExpressible++;
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(valid >= 20, $"only {valid} valid schemas found in the tests");
        Assert.True(rejected >= 10, $"only {rejected} rejected schemas the JSON Schema can express ({notExpressible} it cannot)");
    }

    public static TheoryData<string, string> BadInputs() => new()
    {
        { "DBOPS1001", "" },
        { "DBOPS1001", "name: X\nentities: {}\n" },
        { "DBOPS1001", "dbops: 2\n" },
        { "DBOPS1005", "dbops: 1\nentites: {}\n" },
        { "DBOPS1005", "dbops: 1\nentities:\n  A:\n    colums: {}\n" },
        { "DBOPS1005", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true, nulable: true }\n" },
        { "DBOPS1005", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true }\n    indexes:\n      - columns: [Id]\n        uniq: true\n" },
        { "DBOPS1005", "dbops: 1\nqueries:\n  Q:\n    sql: SELECT 1\n    return: int32\n" },
        { "DBOPS1028", "dbops: 1\nprovider: mysql\n" },
        { "DBOPS1028", "dbops: 1\nnaming: camelCase\n" },
        { "DBOPS1028", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true }\n      B: { type: int32, references: A, onDelete: delete }\n" },
        { "DBOPS1028", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: yes please }\n" },
        { "DBOPS1007", "dbops: 1\nentities:\n  Order-Line:\n    columns:\n      Id: { type: int32, primaryKey: true }\n" },
        { "DBOPS1007", "dbops: 1\nentities:\n  A:\n    columns:\n      1Id: { type: int32, primaryKey: true }\n" },
        { "DBOPS1008", "dbops: 1\nentities:\n  A:\n    columns:\n      class: { type: int32, primaryKey: true }\n" },
        { "DBOPS1008", "dbops: 1\nname: record\n" },
        { "DBOPS1011", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true }\n      P: decimal(39,2)\n" },
        { "DBOPS1011", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true }\n      P: decimal(0)\n" },
        { "DBOPS1012", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true }\n      S: string(0)\n" },
        { "DBOPS1023", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true }\n      P: { type: decimal(12,2), min: 0 }\n" },
        { "DBOPS1026", "dbops: 1\nentities: [A, B]\n" },
        { "DBOPS1026", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true }\n    indexes: { columns: [Id] }\n" },
        { "DBOPS1034", "dbops: 1\nentities:\n  A:\n    table: a\n" },
        { "DBOPS1034", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { primaryKey: true }\n" },
        { "DBOPS1034", "dbops: 1\nqueries:\n  Q:\n    returns: int32\n" },
        { "DBOPS1034", "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true }\n    checks:\n      - name: ck\n" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void A_bad_input_it_can_express_is_rejected_by_both(string code, string yaml)
    {
        var loaded = TestUtil.Load(yaml);
        Assert.True(loaded.Diagnostics.Any(d => d.Code == code), $"expected {code}; got:\n{TestUtil.Dump(loaded)}");
        Assert.False(Evaluate(yaml).IsValid, "the JSON Schema accepts:\n" + yaml);
    }

    [Theory]
    [InlineData("Email: { type: string(320)?, unique: true }")]
    [InlineData("Total: { type: 'decimal(12, 2)', min: 0, max: 1e6 }")]
    [InlineData("Total: decimal(12,2)")]
    [InlineData("Status: Colour?")]
    [InlineData("Data: binary(16)")]
    [InlineData("Flag: { type: bool, default: true, deprecated: use State instead }")]
    [InlineData("Small: { type: int16, nullable: true, default: -3, comment: a small one, renamedFrom: Tiny }")]
    public void Column_forms_the_loader_accepts_are_valid(string column)
    {
        var yaml = $"dbops: 1\nenums:\n  Colour: [Red, Green]\nentities:\n  A:\n    columns:\n      Id: {{ type: int32, primaryKey: true }}\n      {column}\n";
        var loaded = TestUtil.Load(yaml);
        Assert.False(loaded.HasErrors, TestUtil.Dump(loaded));
        var r = Evaluate(yaml);
        Assert.True(r.IsValid, Errors(r));
    }

    // ---------------------------------------------------------------- one owner: the parser's lists

    private static JsonElement Def(string name) => SchemaDocument.RootElement.GetProperty("definitions").GetProperty(name);

    private static string[] Keys(JsonElement objectSchema) =>
        objectSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    private static JsonElement ObjectBranch(JsonElement def) =>
        def.TryGetProperty("oneOf", out var branches) ? branches.EnumerateArray().Single(b => b.TryGetProperty("properties", out _)) : def;

    private static string[] Sorted(IEnumerable<string> s) => s.Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Keys_are_exactly_the_parsers()
    {
        Assert.Equal(Sorted(SchemaParser.TopLevelKeys), Keys(SchemaDocument.RootElement));
        Assert.Equal(Sorted(SchemaParser.EntityKeys), Keys(Def("entity")));
        Assert.Equal(Sorted(SchemaParser.ColumnKeys), Keys(ObjectBranch(Def("column"))));
        Assert.Equal(Sorted(SchemaParser.IndexKeys), Keys(Def("index")));
        Assert.Equal(Sorted(SchemaParser.CheckKeys), Keys(Def("check")));
        Assert.Equal(Sorted(SchemaParser.QueryKeys), Keys(Def("query")));
        Assert.Equal(Sorted(SchemaParser.EnumKeys), Keys(ObjectBranch(Def("enum"))));
    }

    [Fact]
    public void Every_key_has_a_description()
    {
        var missing = new List<string>();
        void Walk(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Object) return;
            if (e.TryGetProperty("properties", out var props))
                foreach (var p in props.EnumerateObject())
                {
                    var described = p.Value.TryGetProperty("description", out _) ||
                                    (p.Value.TryGetProperty("$ref", out var r) && Def(r.GetString()!.Split('/')[^1]).TryGetProperty("description", out _));
                    if (!described) missing.Add($"{path}.{p.Name}");
                    Walk(p.Value, $"{path}.{p.Name}");
                }
            foreach (var branch in new[] { "oneOf", "anyOf" })
                if (e.TryGetProperty(branch, out var bs))
                    foreach (var b in bs.EnumerateArray()) Walk(b, path);
        }
        Walk(SchemaDocument.RootElement, "");
        foreach (var d in SchemaDocument.RootElement.GetProperty("definitions").EnumerateObject()) Walk(d.Value, d.Name);
        Assert.True(missing.Count == 0, "no description: " + string.Join(", ", missing));
    }

    [Fact]
    public void Enum_values_types_and_keywords_are_the_loaders()
    {
        string[] Values(JsonElement e) => e.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToArray();
        var root = SchemaDocument.RootElement.GetProperty("properties");
        foreach (var provider in Values(root.GetProperty("provider"))) Assert.True(DbOps.Schema.Model.DbProviders.TryParse(provider, false, out _), provider);
        Assert.Equal(3, Values(root.GetProperty("provider")).Length);
        Assert.Equal(["snake_case", "exact"], Values(root.GetProperty("naming")));
        Assert.Equal(Sorted(Values(ObjectBranch(Def("column")).GetProperty("properties").GetProperty("onDelete"))),
            Sorted(Enum.GetNames<Model.OnDeleteAction>().Select(n => char.ToLowerInvariant(n[0]) + n[1..])));

        var builtins = Values(Def("type").GetProperty("anyOf")[0]).Where(t => !t.EndsWith('?')).ToArray();
        Assert.Equal(Sorted(SchemaValidator.BuiltinTypes), Sorted(builtins));
        foreach (var t in builtins)
        {
            var loaded = TestUtil.Load($"dbops: 1\nentities:\n  A:\n    columns:\n      Id: {{ type: int32, primaryKey: true }}\n      V: {t}?\n");
            Assert.False(loaded.HasErrors, t + ": " + TestUtil.Dump(loaded));
        }

        var typeKeywords = Def("typeName").GetProperty("not").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!);
        var memberKeywords = Def("memberName").GetProperty("not").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!);
        Assert.Equal(Sorted(Identifiers.Reserved.Concat(Identifiers.ContextualTypeNames).Distinct()), Sorted(typeKeywords));
        Assert.Equal(Sorted(Identifiers.Reserved.Concat(Identifiers.ContextualMemberNames).Distinct()), Sorted(memberKeywords));
    }
}
