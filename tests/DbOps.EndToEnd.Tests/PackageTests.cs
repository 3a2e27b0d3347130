using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;
using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>
/// The packed packages look like packages (eng/Packaging.targets): README, license expression, repository URL and
/// commit, SourceLink in every PDB of the .snupkg, deterministic assemblies, package validation on, and a pack that
/// prints no warning.
/// </summary>
[Collection(SdkCollection.Name)]
public class PackageTests(SdkPackages packages)
{
    // The SourceLink custom debug information of a portable PDB.
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private IReadOnlyList<string> Packages()
    {
        var all = Directory.GetFiles(packages.FeedDir, "*.nupkg").Order(StringComparer.Ordinal).ToList();
        Assert.True(all.Count >= 5, "packed: " + string.Join(", ", all.Select(Path.GetFileName)));
        return all;
    }

    private static XElement Metadata(ZipArchive zip)
    {
        using var s = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/')).Open();
        var doc = XDocument.Load(s);
        return doc.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static string Commit()
    {
        var r = ProcessRunner.Run("git", ["rev-parse", "HEAD"], SdkPackages.RepoRoot);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.StdOut.Trim();
    }

    [Fact]
    public void Pack_prints_no_warning()
    {
        var warnings = packages.PackOutput.Split('\n').Where(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
        // Not even NuGet's "missing a readme" message.
        Assert.DoesNotContain("is missing a readme", packages.PackOutput);
    }

    [Fact]
    public void Every_package_has_a_readme_license_repository_and_project_url()
    {
        var commit = Commit();
        foreach (var path in Packages())
        {
            using var zip = ZipFile.OpenRead(path);
            var m = Metadata(zip);
            var id = Value(m, "id")!;
            Assert.Equal("README.md", Value(m, "readme"));
            using (var readme = new StreamReader(zip.GetEntry("README.md")!.Open()))
                Assert.Contains(id == "DbOps.Sdk" ? "# DbOps.Sdk" : id, readme.ReadToEnd());
            var license = m.Elements().Single(e => e.Name.LocalName == "license");
            Assert.Equal("expression", license.Attribute("type")?.Value);
            Assert.Equal("MIT", license.Value);
            var repository = m.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.Equal("git", repository.Attribute("type")?.Value);
            Assert.StartsWith("https://", repository.Attribute("url")?.Value);
            Assert.Equal(commit, repository.Attribute("commit")?.Value);
            Assert.StartsWith("https://", Value(m, "projectUrl"));
            Assert.False(string.IsNullOrWhiteSpace(Value(m, "description")), id);
        }
    }

    [Fact]
    public void Every_package_has_a_symbols_package_whose_pdbs_match_its_assemblies_and_link_to_the_sources()
    {
        var commit = Commit();
        // DbOps.Templates holds template files only: no assembly, so no symbols.
        foreach (var path in Packages().Where(p => !Path.GetFileName(p).StartsWith("DbOps.Templates.", StringComparison.Ordinal)))
        {
            var snupkg = Path.ChangeExtension(path, ".snupkg");
            Assert.True(File.Exists(snupkg), $"{Path.GetFileName(snupkg)} was not written");
            using var zip = ZipFile.OpenRead(path);
            using var symbols = ZipFile.OpenRead(snupkg);
            // DbOps' own assemblies (third-party ones in tools/ ship no PDB).
            var ours = zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal) && Path.GetFileName(e.FullName).StartsWith("DbOps.", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(ours);
            foreach (var dll in ours)
            {
                var pdbEntry = symbols.GetEntry(Path.ChangeExtension(dll.FullName, ".pdb"));
                Assert.True(pdbEntry is not null, $"{Path.GetFileName(snupkg)} has no PDB for {dll.FullName}");
                var pe = ReadAll(dll);
                using var peReader = new PEReader(new MemoryStream(pe));
                var debug = peReader.ReadDebugDirectory();
                // Deterministic: the compiler marks the image reproducible; the PDB it names is the one in the snupkg.
                Assert.Contains(debug, d => d.Type == DebugDirectoryEntryType.Reproducible);
                var codeView = peReader.ReadCodeViewDebugDirectoryData(debug.First(d => d.Type == DebugDirectoryEntryType.CodeView));
                using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(ReadAll(pdbEntry!)));
                var pdb = pdbProvider.GetMetadataReader();
                Assert.Equal(codeView.Guid, new BlobContentId(pdb.DebugMetadataHeader!.Id).Guid);

                var sourceLink = pdb.CustomDebugInformation.Select(pdb.GetCustomDebugInformation)
                    .Where(c => pdb.GetGuid(c.Kind) == SourceLinkKind).Select(c => Encoding.UTF8.GetString(pdb.GetBlobBytes(c.Value))).SingleOrDefault();
                Assert.True(sourceLink is not null, $"{dll.FullName}: no SourceLink in its PDB");
                Assert.Contains($"/{commit}/", sourceLink);
                Assert.Contains("https://raw.githubusercontent.com/", sourceLink);
            }
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    [Fact]
    public void Package_validation_is_on_for_every_packable_project()
    {
        foreach (var project in new[] { "sdk/DbOps.Sdk/DbOps.Sdk.csproj", "src/DbOps.Runtime/DbOps.Runtime.csproj", "src/DbOps.Runtime.Sqlite/DbOps.Runtime.Sqlite.csproj" })
        {
            var r = ProcessRunner.Run("dotnet", ["msbuild", Path.Combine(SdkPackages.RepoRoot, project), "-nodeReuse:false",
                "-getProperty:IsPackable", "-getProperty:EnablePackageValidation", "-getProperty:IncludeSymbols", "-getProperty:SymbolPackageFormat"], SdkPackages.RepoRoot);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("\"IsPackable\": \"true\"", r.StdOut);
            Assert.Contains("\"EnablePackageValidation\": \"true\"", r.StdOut);
            Assert.Contains("\"SymbolPackageFormat\": \"snupkg\"", r.StdOut);
        }
    }
}
