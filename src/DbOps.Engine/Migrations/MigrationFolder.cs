using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DbOps.Schema.Diagnostics;

namespace DbOps.Engine.Migrations;

/// <summary>One committed migration script: <c>0002_add_phone.sql</c>.</summary>
internal sealed record MigrationFile(int Number, string FileName, string RelativePath, string FullPath)
{
    /// <summary>The name without number and extension (<c>add_phone</c>): what DbOpsMigrationName maps to.</summary>
    public string Stem => FileName[5..^4];
}

/// <summary>
/// The committed migrations folder (SPEC §3): NNNN_name.sql scripts, dbops.snapshot.yaml and dbops.sum.
/// dbops.sum is modelled on atlas.sum so a reviewer can read it:
/// <code>
/// h1:&lt;sha256 of every line below&gt;
/// 0001_initial.sql h1:&lt;sha256 of the file&gt;
/// dbops.snapshot.yaml h1:&lt;sha256&gt;
/// </code>
/// Hashes are base64 SHA-256 of the file bytes with line endings normalized to \n (a checkout with CRLF is not an edit).
/// </summary>
internal sealed partial class MigrationFolder
{
    public const string SnapshotFileName = "dbops.snapshot.yaml";
    public const string SumFileName = "dbops.sum";

    [GeneratedRegex(@"^(?<n>\d{4})_(?<name>[a-z0-9][a-z0-9_\-]*)\.sql$")]
    private static partial Regex MigrationName();

    public string RelativeDir { get; }
    public string FullDir { get; }
    public IReadOnlyList<MigrationFile> Migrations { get; }
    public string SnapshotRelativePath => Combine(RelativeDir, SnapshotFileName);
    public string SnapshotFullPath => Path.Combine(FullDir, SnapshotFileName);
    public string SumRelativePath => Combine(RelativeDir, SumFileName);
    public string SumFullPath => Path.Combine(FullDir, SumFileName);
    public bool HasSnapshot => File.Exists(SnapshotFullPath);
    private readonly List<Diagnostic> _nameProblems = [];

    public MigrationFolder(string projectDir, string relativeDir)
    {
        RelativeDir = relativeDir.TrimEnd('/', '\\').Replace('\\', '/');
        FullDir = Path.GetFullPath(Path.Combine(projectDir, RelativeDir));
        var list = new List<MigrationFile>();
        if (Directory.Exists(FullDir))
        {
            foreach (var full in Directory.GetFiles(FullDir, "*.sql").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal))
            {
                var name = Path.GetFileName(full);
                var m = MigrationName().Match(name);
                if (!m.Success) { _nameProblems.Add(MigrationDiagnostics.BadMigrationName(Combine(RelativeDir, name))); continue; }
                list.Add(new MigrationFile(int.Parse(m.Groups["n"].Value), name, Combine(RelativeDir, name), full));
            }
        }
        Migrations = list;
    }

    public int NextNumber => Migrations.Count == 0 ? 1 : Migrations.Max(m => m.Number) + 1;

    private static string Combine(string dir, string file) => dir.Length == 0 ? file : dir + "/" + file;

    /// <summary>SHA-256 (base64) of a file's text with line endings normalized.</summary>
    public static string Hash(string text) => DbOps.Runtime.DbOpsMigrationScript.ComputeChecksum(text);

    public static string HashFile(string path) => Hash(File.ReadAllText(path));

    /// <summary>The text of dbops.sum for the given (file name, text) entries, in order.</summary>
    public static string SumText(IEnumerable<(string FileName, string Text)> files)
    {
        var lines = files.Select(f => $"{f.FileName} {Hash(f.Text)}").ToList();
        var body = string.Join("\n", lines) + "\n";
        return Hash(body) + "\n" + body;
    }

    /// <summary>
    /// Integrity (DBOPS2002-2009): every script and the snapshot match dbops.sum, nothing is missing, unsummed,
    /// duplicated or reordered. No migrations and no sum is a valid, empty folder.
    /// </summary>
    public IReadOnlyList<Diagnostic> Verify()
    {
        var problems = new List<Diagnostic>(_nameProblems);
        foreach (var group in Migrations.GroupBy(m => m.Number).Where(g => g.Count() > 1))
            foreach (var dup in group.Skip(1))
                problems.Add(MigrationDiagnostics.DuplicateNumber(dup.RelativePath, group.First().RelativePath));

        if (!File.Exists(SumFullPath))
        {
            if (Migrations.Count > 0 || HasSnapshot)
                problems.Add(MigrationDiagnostics.SumInvalid(SumRelativePath, "the file is missing but the folder has migrations"));
            return problems;
        }

        var sumLines = File.ReadAllText(SumFullPath).ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (sumLines.Length == 0 || !sumLines[0].StartsWith("h1:", StringComparison.Ordinal))
        {
            problems.Add(MigrationDiagnostics.SumInvalid(SumRelativePath, "the first line must be the h1: checksum of the rest"));
            return problems;
        }
        var body = string.Join("\n", sumLines.Skip(1)) + "\n";
        if (Hash(body) != sumLines[0])
            problems.Add(MigrationDiagnostics.SumInvalid(SumRelativePath, "its own checksum does not match its lines (edited by hand or merged badly)"));

        var summed = new List<(string File, string Hash)>();
        foreach (var line in sumLines.Skip(1))
        {
            var space = line.LastIndexOf(' ');
            if (space <= 0) { problems.Add(MigrationDiagnostics.SumInvalid(SumRelativePath, $"line '{line}' is not '<file> h1:<hash>'")); continue; }
            summed.Add((line[..space], line[(space + 1)..]));
        }

        var onDisk = Migrations.ToDictionary(m => m.FileName, StringComparer.Ordinal);
        var previousNumber = 0;
        foreach (var (file, hash) in summed)
        {
            if (file == SnapshotFileName)
            {
                if (!HasSnapshot) problems.Add(MigrationDiagnostics.SumInvalid(SumRelativePath, "dbops.snapshot.yaml is listed but missing"));
                else if (HashFile(SnapshotFullPath) != hash) problems.Add(MigrationDiagnostics.SnapshotEdited(SnapshotRelativePath));
                continue;
            }
            var relative = Combine(RelativeDir, file);
            if (!onDisk.TryGetValue(file, out var migration)) { problems.Add(MigrationDiagnostics.MigrationMissing(relative)); continue; }
            if (HashFile(migration.FullPath) != hash)
                problems.Add(MigrationDiagnostics.MigrationEdited(relative,
                    migration == Migrations[^1] && DataSection.Inspect(File.ReadAllText(migration.FullPath)).HasSection ? migration.Stem : null));
            if (migration.Number <= previousNumber)
                problems.Add(MigrationDiagnostics.Reordered(relative, $"dbops.sum lists it after number {previousNumber:0000}"));
            else if (migration.Number != previousNumber + 1)
                problems.Add(MigrationDiagnostics.Reordered(relative, $"number {migration.Number:0000} follows {previousNumber:0000}"));
            previousNumber = Math.Max(previousNumber, migration.Number);
        }
        var summedNames = summed.Select(s => s.File).ToHashSet(StringComparer.Ordinal);
        foreach (var m in Migrations.Where(m => !summedNames.Contains(m.FileName)))
            if (!problems.Any(p => p.Code == "DBOPS2006" && p.Location.File == m.RelativePath))
                problems.Add(MigrationDiagnostics.MigrationNotSummed(m.RelativePath));
        if (HasSnapshot && !summedNames.Contains(SnapshotFileName))
            problems.Add(MigrationDiagnostics.SumInvalid(SumRelativePath, "dbops.snapshot.yaml is not listed"));
        return problems;
    }

    /// <summary>Rewrites dbops.sum for the folder as it is now (scripts in number order, then the snapshot).</summary>
    public static string ComputeSum(string fullDir)
    {
        var entries = Directory.GetFiles(fullDir, "*.sql").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();
        var snapshot = Path.Combine(fullDir, SnapshotFileName);
        if (File.Exists(snapshot)) entries.Add((SnapshotFileName, File.ReadAllText(snapshot)));
        return SumText(entries);
    }
}
