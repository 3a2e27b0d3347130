using System.Text;

namespace DbOps.Engine.Output;

/// <summary>
/// The files one engine run produces in the output folder. Nothing is written until <see cref="Commit"/>,
/// which runs only after every stage succeeded: a failed run leaves the previous (compiling) outputs intact.
/// Files are written only when their content changes (so CoreCompile stays incremental) and atomically
/// (temp file + rename), and outputs of the previous run that are no longer produced are deleted.
/// </summary>
internal sealed class OutputSet(string outputDir)
{
    public const string ManifestFileName = "dbops.outputs";
    public const string StampFileName = "dbops.stamp";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);

    public void Add(string fileName, string content)
    {
        if (fileName.Contains('/') || fileName.Contains('\\') || fileName is ManifestFileName or StampFileName)
            throw new ArgumentException($"Invalid output file name '{fileName}'.", nameof(fileName));
        _files[fileName] = content.ReplaceLineEndings("\n");
    }

    public sealed record CommitResult(int Written, int Unchanged, int Deleted);

    public CommitResult Commit(bool writeStamp = true)
    {
        Directory.CreateDirectory(outputDir);
        int written = 0, unchanged = 0, deleted = 0;
        foreach (var (name, content) in _files)
        {
            if (WriteIfChanged(Path.Combine(outputDir, name), content)) written++; else unchanged++;
        }
        var manifestPath = Path.Combine(outputDir, ManifestFileName);
        if (File.Exists(manifestPath))
        {
            foreach (var old in File.ReadAllLines(manifestPath))
            {
                if (old.Length == 0 || _files.ContainsKey(old) || old.Contains('/') || old.Contains('\\')) continue;
                var stale = Path.Combine(outputDir, old);
                if (File.Exists(stale)) { File.Delete(stale); deleted++; }
            }
        }
        WriteIfChanged(manifestPath, string.Join("\n", _files.Keys) + "\n");
        // The stamp is the incremental build's output: touched on every successful run, removed otherwise so
        // that the next build runs the engine again.
        var stamp = Path.Combine(outputDir, StampFileName);
        if (writeStamp)
        {
            File.WriteAllText(stamp, "");
            File.SetLastWriteTimeUtc(stamp, DateTime.UtcNow);
        }
        else if (File.Exists(stamp))
        {
            File.Delete(stamp);
        }
        return new CommitResult(written, unchanged, deleted);
    }

    /// <summary>Writes <paramref name="content"/> unless the file already holds exactly it. Returns true when written.</summary>
    public static bool WriteIfChanged(string path, string content)
    {
        var bytes = Utf8NoBom.GetBytes(content);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.AsSpan().SequenceEqual(bytes)) return false;
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EngineException(EngineDiagnostics.CannotWriteOutput(path, e.Message));
        }
    }
}
