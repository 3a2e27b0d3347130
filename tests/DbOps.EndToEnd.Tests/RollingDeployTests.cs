using DbOps.Testing;
using Npgsql;

namespace DbOps.EndToEnd.Tests;

/// <summary>
/// Rolling-deploy rules through real `dotnet build`s of a PostgreSQL project: DbOpsAddMigration warns about changes that
/// break the running release (DbOpsBreakingChanges sets the severity), estimates a table rewrite from the live database
/// given by DbOpsConnectionString, and `deprecated:` makes the application's uses of a member warn (CS0618).
/// </summary>
[Collection(SdkCollection.Name)]
public class RollingDeployTests(SdkPackages packages)
{
    private static string Schema(string columns) => $$"""
        dbops: 1
        name: CrmDb
        namespace: Crm.Data
        provider: postgresql
        entities:
          Customer:
            table: customers
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              Name: string(100)
        {{columns}}
        """;

    private static ProcessResult AddMigration(ThrowawayProject p, string name, params string[] extra) =>
        p.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsAddMigration", $"-p:DbOpsMigrationName={name}", .. extra]);

    [PostgresFact]
    public void Breaking_changes_warn_a_rewrite_is_estimated_from_the_live_database_and_deprecated_members_are_obsolete()
    {
        using var project = new ThrowawayProject(packages, driftCheck: null);
        project.Write("dbops.yaml", Schema("      Fax: string(40)?\n      Score: int32?"));
        var initial = AddMigration(project, "Initial");
        Assert.True(initial.ExitCode == 0, initial.ToString());

        // A live database at that migration, with rows the planner can estimate (ANALYZE fills pg_class.reltuples).
        var server = PostgresServer.Instance;
        var cs = server.CreateDatabase("rolling");
        var applied = server.Psql(cs, project.PathOf("Migrations/0001_initial.sql"));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        using (var conn = new NpgsqlConnection(cs))
        {
            conn.Open();
            using var fill = new NpgsqlCommand("INSERT INTO customers (name, score) SELECT 'c' || g, g FROM generate_series(1, 5000) g; ANALYZE customers;", conn);
            fill.ExecuteNonQuery();
        }

        // Release 2: Score widens to int64 (a rewrite), Fax is deprecated, Name is renamed (breaks the running release).
        project.Write("dbops.yaml", Schema("      Fax: { type: string(40)?, deprecated: \"Use Email instead.\" }\n      Score: int64?")
            .Replace("Name: string(100)", "FullName: { type: string(100), renamedFrom: Name }"));
        // The build already says so at the changed node, next to the drift error.
        var drift = project.Build();
        Assert.NotEqual(0, drift.ExitCode);
        Assert.Contains("error DBOPS2001", drift.StdOut);
        Assert.Matches(@"dbops\.yaml\(\d+,\d+\): warning DBOPS3011: Renamed column 'Customer\.Name'", drift.StdOut);

        // ';' separates properties on the MSBuild command line: escaped as %3B.
        var second = AddMigration(project, "Release2", $"-p:DbOpsConnectionString={cs.Replace(";", "%3B", StringComparison.Ordinal)}");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Matches(@"dbops\.yaml\(\d+,\d+\): warning DBOPS3010: Changed the type of column 'Customer\.Score' from int32 to int64\. PostgreSQL rewrites table customers", second.StdOut);
        Assert.Contains("The live database estimates 5,000 rows in customers (pg_class.reltuples", second.StdOut);
        Assert.Matches(@"warning DBOPS3011: Renamed column 'Customer\.Name' to 'Customer\.FullName' \(name → full_name\)\. Breaking for the running release: its generated code reads and writes column customers\.name", second.StdOut);
        var header = File.ReadAllText(project.PathOf("Migrations/0002_release2.sql"));
        Assert.Contains("--   Deprecated column 'Customer.Fax' (Use Email instead.): it stays in the database and its C# property is [Obsolete].", header);

        // The application's use of the deprecated property warns with the reason; the generated code does not.
        project.Write("Program.cs", "var c = new Crm.Data.Customer { FullName = \"ann\" };\nSystem.Console.WriteLine(c.Fax);\n");
        var build = project.Build("-p:TreatWarningsAsErrors=false");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Matches(@"Program\.cs\(2,\d+\): warning CS0618: 'Customer\.Fax' is obsolete: 'Use Email instead\.'", build.StdOut);
        Assert.DoesNotContain(".g.cs(", build.StdOut);

        // Release 3 drops both columns: Fax was deprecated in an earlier migration, Score was not (DBOPS3014).
        project.Write("Program.cs", "System.Console.WriteLine(new Crm.Data.Customer().FullName);\n");
        project.Write("dbops.yaml", Schema("").Replace("Name: string(100)", "FullName: string(100)"));
        var refused = AddMigration(project, "Release3", "-p:DbOpsAllowDataLoss=true", "-p:DbOpsBreakingChanges=error");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("error DBOPS3011: Dropped column 'Customer.Score' (int64?).", refused.StdOut);
        Assert.False(File.Exists(project.PathOf("Migrations/0003_release3.sql")));
        var third = AddMigration(project, "Release3", "-p:DbOpsAllowDataLoss=true");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("warning DBOPS3014: Dropped column 'Customer.Score' (int64?).", third.StdOut);
        Assert.DoesNotContain("warning DBOPS3014: Dropped column 'Customer.Fax'", third.StdOut);
        var badSetting = project.Build("-p:DbOpsLockTimeout=soon");
        Assert.Contains("DBOPS9009", badSetting.StdOut);
    }
}
