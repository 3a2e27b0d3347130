using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>Real `dotnet build` of throwaway projects that use the packed DbOps.Sdk.</summary>
[Collection(SdkCollection.Name)]
public class BuildTests(SdkPackages packages)
{
    internal static string SpecExample => DbOps.Testing.SpecExample.Yaml;

    [Fact]
    public void Package_has_the_msbuild_sdk_layout()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(packages.SdkPackagePath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("Sdk/Sdk.props", entries);
        Assert.Contains("Sdk/Sdk.targets", entries);
        Assert.Contains("Sdk/DbOps.Sdk.Version.props", entries);
        Assert.Contains("tasks/netstandard2.0/DbOps.Tasks.dll", entries);
        Assert.Contains("tools/net10.0/DbOps.Engine.dll", entries);
        // The editor's JSON Schema of dbops.yaml, byte for byte the published docs/dbops.schema.json.
        using (var schema = new StreamReader(zip.GetEntry("dbops.schema.json")!.Open()))
            Assert.Equal(File.ReadAllText(Path.Combine(SdkPackages.RepoRoot, "docs", "dbops.schema.json")), schema.ReadToEnd());
        // The task assembly must not drag EF Core or YamlDotNet next to it (they would load into MSBuild).
        Assert.DoesNotContain(entries, e => e.StartsWith("tasks/") && (e.Contains("EntityFramework") || e.Contains("YamlDotNet")));
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec"));
        using var reader = new StreamReader(nuspec.Open());
        Assert.Contains("<packageType name=\"MSBuildSdk\" />", reader.ReadToEnd());
    }

    [Fact]
    public void Spec_example_builds_and_its_sqlite_script_runs_in_sqlite3()
    {
        using var project = new ThrowawayProject(packages);
        project.Write("dbops.yaml", SpecExample);

        var build = project.Build("-v:n");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("DbOps: ShopDb (sqlite)", build.StdOut);
        var generated = project.GeneratedDir();
        Assert.True(File.Exists(Path.Combine(generated, "schema.sqlite.sql")), "schema.sqlite.sql missing");
        Assert.NotEmpty(Directory.GetFiles(generated, "*.g.cs"));
        var diagram = File.ReadAllText(Path.Combine(generated, "schema.md"));
        Assert.Contains("```mermaid\nerDiagram\n", diagram);
        Assert.Contains("    Customer ||..o{ Order : \"CustomerId (on delete cascade)\"", diagram);

        var db = project.PathOf("shop.db");
        var run = ProcessRunner.Run("sqlite3", ["-bail", db], stdin: File.ReadAllText(Path.Combine(generated, "schema.sqlite.sql")));
        Assert.True(run.ExitCode == 0, run.ToString());
        var tables = ProcessRunner.Run("sqlite3", [db, "select name from sqlite_master where type='table' order by name"]);
        Assert.Contains("customers", tables.StdOut);
        Assert.Contains("orders", tables.StdOut);

        // Only the schema provider's driver comes along (SqlClient alone would add ~100 MB to bin/).
        AssertDrivers(project, expected: "Microsoft.Data.Sqlite.dll", absent: ["Npgsql.dll", "Microsoft.Data.SqlClient.dll"]);
    }

    private static void AssertDrivers(ThrowawayProject project, string expected, string[] absent)
    {
        var bin = project.PathOf(Path.Combine("bin", "Debug", "net10.0"));
        Assert.True(File.Exists(Path.Combine(bin, expected)), $"{expected} missing from {bin}");
        foreach (var dll in absent) Assert.False(File.Exists(Path.Combine(bin, dll)), $"{dll} should not be in {bin}");
    }

    [Fact]
    public void A_provider_the_build_could_not_see_is_DBOPS9008_at_its_node_and_DbOpsProvider_resolves_it()
    {
        using var project = new ThrowawayProject(packages);
        project.Write("dbops.yaml", """
            dbops: 1
            entities:
              Customer:
                columns:
                  Id: { type: int64, primaryKey: true, identity: true }
            """);
        project.Write("settings.dbops.yaml", "dbops: 1\nprovider: postgresql\n");

        var build = project.Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("settings.dbops.yaml(2,11): error DBOPS9008:", build.StdOut);
        Assert.Contains("<DbOpsProvider>postgresql</DbOpsProvider>", build.StdOut);

        var fixedBuild = project.Build("-p:DbOpsProvider=postgresql", "-p:DbOpsDriftCheck=warning");
        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.ToString());
        AssertDrivers(project, expected: "Npgsql.dll", absent: ["Microsoft.Data.Sqlite.dll", "Microsoft.Data.SqlClient.dll"]);
    }

    [PostgresFact]
    public void Postgresql_provider_builds_and_its_script_runs_in_psql()
    {
        using var project = new ThrowawayProject(packages);
        project.Write("dbops.yaml", SpecExample.Replace("provider: sqlite ", "provider: postgresql "));

        var build = project.Build("-v:n");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("DbOps: ShopDb (postgresql)", build.StdOut);
        var server = PostgresServer.Instance;
        var cs = server.CreateDatabase("e2e");
        var psql = server.Psql(cs, Path.Combine(project.GeneratedDir(), "schema.postgresql.sql"));
        Assert.True(psql.ExitCode == 0, psql.ToString());
        using var conn = new Npgsql.NpgsqlConnection(cs);
        conn.Open();
        using var cmd = new Npgsql.NpgsqlCommand("select data_type from information_schema.columns where table_name = 'orders' and column_name = 'placed_at'", conn);
        Assert.Equal("timestamp with time zone", cmd.ExecuteScalar());
        AssertDrivers(project, expected: "Npgsql.dll", absent: ["Microsoft.Data.Sqlite.dll", "Microsoft.Data.SqlClient.dll"]);
    }

    [Fact]
    public void Schema_errors_fail_the_build_at_file_line_and_column_and_leave_no_outputs()
    {
        using var project = new ThrowawayProject(packages);
        project.Write("dbops.yaml", """
            dbops: 1
            entities:
              Customer:
                columns:
                  Id: { type: int64, primaryKey: true }
              Order:
                columns:
                  Id: { type: int64, primaryKey: true }
                  CustomerId: { type: int64, references: Custmer }
                  Total: { type: mony }
            """);

        var build = project.Build();

        Assert.NotEqual(0, build.ExitCode);
        // Both problems in one build, each at its node, in MSBuild's canonical form.
        Assert.Contains("dbops.yaml(9,46): error DBOPS1003: Column 'Order.CustomerId' references unknown entity 'Custmer'.", build.StdOut);
        Assert.Matches(@"dbops\.yaml\(10,22\): error DBOPS10\d\d: .*'mony'", build.StdOut);
        Assert.DoesNotContain("   at ", build.StdOut); // no stack trace
        Assert.False(Directory.Exists(project.GeneratedDir()) && Directory.GetFiles(project.GeneratedDir(), "*.g.cs").Length > 0,
            "a failed first build must not leave generated code");
    }

    [Fact]
    public void DbOpsGenerateDependsOn_runs_a_project_target_first_and_the_ide_and_engine_inputs_are_declared()
    {
        using var project = new ThrowawayProject(packages, projectXml: $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="DbOps.Sdk" Version="{SdkPackages.Version}" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <DbOpsDriftCheck>off</DbOpsDriftCheck>
                <DbOpsGenerateDependsOn>$(DbOpsGenerateDependsOn);FetchSchema</DbOpsGenerateDependsOn>
              </PropertyGroup>
              <Target Name="FetchSchema">
                <Message Importance="high" Text="FetchSchema ran before DbOpsGenerate" />
              </Target>
            </Project>
            """);
        project.Write("dbops.yaml", SpecExample);

        var build = project.Build("-v:n");

        Assert.True(build.ExitCode == 0, build.ToString());
        var fetched = build.StdOut.IndexOf("FetchSchema ran before DbOpsGenerate", StringComparison.Ordinal);
        Assert.True(fetched >= 0, build.ToString());
        Assert.True(fetched < build.StdOut.IndexOf("DbOps: ShopDb", StringComparison.Ordinal), build.ToString());

        var items = project.Dotnet(["msbuild", "-getItem:UpToDateCheckInput", "-getItem:AvailableItemName", "-getItem:_DbOpsEngineFile", "-getProperty:DbOpsEmbedMigrations"]);
        Assert.True(items.ExitCode == 0, items.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(items.StdOut);
        string[] Identities(string item) => [.. json.RootElement.GetProperty("Items").GetProperty(item).EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!)];
        Assert.Contains(Identities("UpToDateCheckInput"), i => i.EndsWith("dbops.yaml", StringComparison.Ordinal)); // VS's fast up-to-date check sees schema edits
        Assert.Contains("DbOpsSchema", Identities("AvailableItemName"));
        Assert.Contains(Identities("_DbOpsEngineFile"), i => i.EndsWith("DbOps.Schema.dll", StringComparison.Ordinal)); // a new engine assembly reruns DbOpsGenerate
        Assert.Equal("true", json.RootElement.GetProperty("Properties").GetProperty("DbOpsEmbedMigrations").GetString());
    }

    [Fact]
    public void Second_build_without_changes_starts_no_engine_and_rewrites_nothing_then_a_change_regenerates()
    {
        using var project = new ThrowawayProject(packages);
        project.Write("dbops.yaml", SpecExample);
        var first = project.Build("-v:detailed");
        Assert.True(first.ExitCode == 0, first.ToString());
        const string engineRun = "DbOps.Engine.dll generate --settings"; // the logged command line of the engine process
        Assert.Contains(engineRun, first.StdOut);
        var generated = project.GeneratedDir();
        var before = Directory.GetFiles(generated).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = project.Build("-v:detailed");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Skipping target \"DbOpsGenerate\" because all output files are up-to-date", second.StdOut);
        Assert.DoesNotContain(engineRun, second.StdOut);
        Assert.All(before, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key)));

        // A schema edit regenerates...
        project.Write("dbops.yaml", SpecExample.Replace("Phone:     string(40)?", "Phone:     string(40)?\n      Fax:       string(40)?"));
        var third = project.Build("-v:n");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("DbOps: ShopDb", third.StdOut);
        Assert.Contains("fax", File.ReadAllText(Path.Combine(generated, "schema.sqlite.sql")));

        // ...and so does a DbOps property.
        var fourth = project.Build("-v:n", "-p:DbOpsProvider=postgresql");
        Assert.True(fourth.ExitCode == 0, fourth.ToString());
        Assert.Contains("DbOps: ShopDb (postgresql)", fourth.StdOut);
        Assert.True(File.Exists(Path.Combine(generated, "schema.postgresql.sql")));
        Assert.False(File.Exists(Path.Combine(generated, "schema.sqlite.sql")), "outputs of the previous provider are removed");
    }

    [Fact]
    public void A_project_without_a_schema_is_warned_about()
    {
        using var project = new ThrowawayProject(packages);
        var build = project.Build();
        // The throwaway project sets TreatWarningsAsErrors, which MSBuild applies to its own warnings too.
        Assert.Matches(@"App\.csproj ?: (warning|error) DBOPS9007: DbOps.Sdk is used but the project has no schema file", build.StdOut);
        Assert.False(Directory.Exists(project.GeneratedDir()) && Directory.GetFiles(project.GeneratedDir(), "*.g.cs").Length > 0);
    }

    [Fact]
    public void Sdk_version_from_global_json_msbuild_sdks()
    {
        using var project = new ThrowawayProject(packages, projectXml: """
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="DbOps.Sdk" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <DbOpsDriftCheck>off</DbOpsDriftCheck>
              </PropertyGroup>
            </Project>
            """);
        project.Write("global.json", $$"""{ "msbuild-sdks": { "DbOps.Sdk": "{{SdkPackages.Version}}" } }""");
        project.Write("dbops.yaml", SpecExample);
        var build = project.Build("-v:n");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("DbOps: ShopDb (sqlite)", build.StdOut);
    }

    [Fact]
    public void Design_time_build_generates_and_adds_the_code_to_Compile()
    {
        using var project = new ThrowawayProject(packages);
        project.Write("dbops.yaml", SpecExample);
        var restore = project.Dotnet(["restore"]);
        Assert.True(restore.ExitCode == 0, restore.ToString());

        // What an IDE's design-time build does: run the compile targets without invoking the compiler.
        var dtb = project.Dotnet(["msbuild", "-nodeReuse:false", "-t:Compile", "-p:DesignTimeBuild=true",
            "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true", "-getItem:Compile"]);

        Assert.True(dtb.ExitCode == 0, dtb.ToString());
        Assert.Contains("ShopDb.g.cs", dtb.StdOut);
        Assert.True(File.Exists(Path.Combine(project.GeneratedDir(), "ShopDb.g.cs")));
        // The JSON Schema for the editor is in obj/ once the project is loaded (README: `$schema=obj/dbops.schema.json`).
        Assert.Equal(File.ReadAllText(Path.Combine(SdkPackages.RepoRoot, "docs", "dbops.schema.json")),
            File.ReadAllText(project.PathOf(Path.Combine("obj", "dbops.schema.json"))));
    }

    [Fact]
    public void A_query_that_does_not_compile_fails_the_build_at_its_line()
    {
        using var project = new ThrowawayProject(packages);
        project.Write("dbops.yaml", SpecExample.Replace("SUM(o.total) AS revenue", "SUM(o.totl) AS revenue"));

        var build = project.Build();

        Assert.NotEqual(0, build.ExitCode);
        var line = SpecExample.Split('\n').ToList().FindIndex(l => l.Contains("SUM(o.total) AS revenue")) + 1;
        Assert.Matches($@"dbops\.yaml\({line},\d+\): error DBOPS5001: .*totl", build.StdOut);
    }

    [Fact]
    public void The_app_runs_with_no_other_package_reference_migrating_and_using_the_generated_api()
    {
        using var project = new ThrowawayProject(packages, driftCheck: null, programCs: """
            using Shop.Data;
            await using var db = ShopDb.Create("Data Source=app.db");
            var result = await db.MigrateAsync();
            var ann = await db.Customers.InsertAsync(new Customer { Email = $"ann{Guid.NewGuid():N}@x.io", Name = "Ann" });
            await db.Orders.InsertAsync(new Order { CustomerId = ann.Id, Total = 12.50m, PlacedAt = DateTimeOffset.UtcNow });
            var rows = await db.RevenueByCustomerAsync(DateTimeOffset.UtcNow.AddDays(-1));
            Console.WriteLine($"applied={result.AppliedScripts.Count} id={ann.Id} revenue={rows[0].Revenue} status={(await db.Orders.ListByCustomerIdAsync(ann.Id))[0].Status}");
            """);
        project.Write("dbops.yaml", SpecExample);
        var add = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsAddMigration", "-p:DbOpsMigrationName=Initial"]);
        Assert.True(add.ExitCode == 0, add.ToString());

        var run = project.Dotnet(["run", "-nodeReuse:false"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("applied=1 id=1 revenue=12.5", run.StdOut);
        Assert.Contains("status=Pending", run.StdOut);
        var again = project.Dotnet(["run", "--no-build"]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("applied=0 id=2", again.StdOut);
    }
}
