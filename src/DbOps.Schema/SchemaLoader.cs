using System.Text;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;
using DbOps.Schema.Parsing;
using DbOps.Schema.Validation;

namespace DbOps.Schema;

/// <summary>One schema file: the path as it should appear in diagnostics, and its text.</summary>
public sealed record SchemaSource(string Path, string Text);

/// <summary>The outcome of <see cref="SchemaLoader.Load"/>: a model when there is no error, and every diagnostic.</summary>
public sealed class SchemaLoadResult
{
    internal SchemaLoadResult(SchemaModel? model, IReadOnlyList<Diagnostic> diagnostics)
    {
        Diagnostics = diagnostics;
        HasErrors = diagnostics.Any(d => d.IsError);
        Model = HasErrors ? null : model;
    }

    /// <summary>Null when any error was reported.</summary>
    public SchemaModel? Model { get; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
    public bool HasErrors { get; }
}

/// <summary>Stage 1 of the pipeline: schema files → validated <see cref="SchemaModel"/> plus coded diagnostics. Never throws.</summary>
public static class SchemaLoader
{
    /// <summary>Files larger than this (UTF-8 bytes) are refused with DBOPS1024.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Did-you-mean distance computations per load; beyond it only case-only differences are suggested.</summary>
    private const long SuggestionBudget = 100_000;

    /// <summary>
    /// Parses and validates <paramref name="files"/> (merged into one schema in the given order). <paramref name="providerOverride"/>
    /// is MSBuild's DbOpsProvider ("sqlite" | "postgresql" | "sqlserver"); null/empty uses the file's <c>provider:</c>.
    /// </summary>
    public static SchemaLoadResult Load(IReadOnlyList<SchemaSource> files, string? providerOverride = null)
    {
        var diagnostics = new List<Diagnostic>();
        SchemaModel? model = null;
        var order = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = -1 };
        var lineCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var previousBudget = Suggestions.SetBudget(SuggestionBudget);
        try
        {
            files ??= [];
            DbProvider? provider = null;
            if (!string.IsNullOrWhiteSpace(providerOverride))
            {
                if (DbProviders.TryParse(providerOverride.Trim(), ignoreCase: true, out var p)) provider = p;
                else diagnostics.Add(SchemaDiagnostics.InvalidProviderOverride(providerOverride.Trim()));
            }

            var parsed = new List<FileSyntax>();
            foreach (var source in files)
            {
                if (source is null) continue;
                var path = source.Path ?? "";
                var text = source.Text ?? "";
                order.TryAdd(path, order.Count);
                try
                {
                    var bytes = Encoding.UTF8.GetByteCount(text);
                    if (bytes > MaxFileBytes)
                    {
                        diagnostics.Add(SchemaDiagnostics.FileTooLarge(new SourceLocation(path, 1, 1), bytes, MaxFileBytes));
                        continue;
                    }
                    if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
                    lineCounts[path] = YamlTreeReader.SplitLines(text).Count;
                    var root = YamlTreeReader.Read(path, text, diagnostics, out var empty);
                    var file = SchemaParser.Parse(path, text, root, empty, diagnostics);
                    if (file is not null) parsed.Add(file);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    diagnostics.Add(SchemaDiagnostics.InternalError(new SourceLocation(path, 1, 1), $"{ex.GetType().Name}: {ex.Message}"));
                }
            }

            if (files.Count == 0)
                diagnostics.Add(SchemaDiagnostics.FormatVersion(new SourceLocation("dbops.yaml", 0, 0), FormatVersionProblem.EmptyFile));

            try
            {
                model = SchemaValidator.Validate(parsed, provider, diagnostics);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                diagnostics.Add(SchemaDiagnostics.InternalError(parsed.Count > 0 ? parsed[0].Root : SourceLocation.None, $"{ex.GetType().Name}: {ex.Message}"));
                model = null;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            diagnostics.Add(SchemaDiagnostics.InternalError(SourceLocation.None, $"{ex.GetType().Name}: {ex.Message}"));
            model = null;
        }
        finally
        {
            Suggestions.SetBudget(previousBudget);
        }

        // Clamp positions into the file (never past the line after the last) and order by file, then position.
        var result = diagnostics
            .Select(d => Clamp(d, lineCounts))
            .OrderBy(d => order.TryGetValue(d.Location.File, out var i) ? i : int.MaxValue)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
        return new SchemaLoadResult(model, result);
    }

    private static Diagnostic Clamp(Diagnostic d, Dictionary<string, int> lineCounts)
    {
        if (d.Location.Line <= 0 || !lineCounts.TryGetValue(d.Location.File, out var lines)) return d;
        var line = Math.Clamp(d.Location.Line, 1, lines + 1);
        var column = Math.Max(1, d.Location.Column);
        return line == d.Location.Line && column == d.Location.Column ? d : d with { Location = d.Location with { Line = line, Column = column } };
    }
}
