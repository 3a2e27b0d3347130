using System.Text.RegularExpressions;
using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>
/// The schema-drift gate and DbOpsAddMigration through real `dotnet build`s of a project using the packed SDK:
/// the README's workflow (change the schema -> build fails with the diff -> add the migration -> build passes).
/// </summary>
[Collection(SdkCollection.Name)]
public class MigrationWorkflowTests(SdkPackages packages)
{
    private static string Schema(string extraCustomerColumns = "") => $$"""
        dbops: 1
        name: ShopDb
        namespace: Shop.Data
        entities:
          Customer:
            table: customers
            columns:
              Id:    { type: int64, primaryKey: true, identity: true }
              Email: { type: string(320), unique: true }
              Name:  string(200){{extraCustomerColumns}}
          Order:
            table: orders
            columns:
              Id:         { type: guid, primaryKey: true }
              CustomerId: { type: int64, references: Customer, onDelete: cascade }
              Total:      { type: 'decimal(12,2)', min: 0 }
            indexes:
              - columns: [CustomerId]
        """;

    private static ProcessResult AddMigration(ThrowawayProject p, string name, params string[] extra) =>
        p.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsAddMigration", $"-p:DbOpsMigrationName={name}", .. extra]);

    [Fact]
    public void Drift_fails_the_build_until_a_migration_is_added_and_integrity_is_enforced()
    {
        using var project = new ThrowawayProject(packages, driftCheck: null);
        project.Write("dbops.yaml", Schema());

        // 1. No migrations yet: the whole schema is pending (the initial migration).
        var first = project.Build();
        Assert.NotEqual(0, first.ExitCode);
        Assert.Matches(@"dbops\.yaml\(\d+,\d+\): error DBOPS2001: The schema differs from the committed migrations", first.StdOut);
        Assert.Contains("DbOpsAddMigration", first.StdOut);
        Assert.True(File.Exists(Path.Combine(project.GeneratedDir(), "pending.sql")));
        var drift = File.ReadAllText(Path.Combine(project.GeneratedDir(), "drift.md"));
        Assert.Contains("customers", drift);
        Assert.Contains("### Changed tables", drift);
        Assert.Contains("```mermaid\nerDiagram\n", drift);

        // 2. Add it: script, snapshot and sum are written, and the same build passes.
        var add = AddMigration(project, "Initial");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(File.Exists(project.PathOf("Migrations/0001_initial.sql")));
        Assert.True(File.Exists(project.PathOf("Migrations/dbops.snapshot.yaml")));
        Assert.Contains("0001_initial.sql h1:", File.ReadAllText(project.PathOf("Migrations/dbops.sum")));
        var second = project.Build();
        Assert.True(second.ExitCode == 0, second.ToString());

        // 3. A schema change fails again, at the changed node.
        project.Write("dbops.yaml", Schema("\n      Phone: string(40)?"));
        var third = project.Build();
        Assert.NotEqual(0, third.ExitCode);
        var phoneLine = Schema("\n      Phone: string(40)?").Split('\n').ToList().FindIndex(l => l.Contains("Phone:")) + 1;
        Assert.Matches($@"dbops\.yaml\({phoneLine},\d+\): error DBOPS2001: .*Phone", third.StdOut);
        var addPhone = AddMigration(project, "AddPhone");
        Assert.True(addPhone.ExitCode == 0, addPhone.ToString());
        Assert.True(File.Exists(project.PathOf("Migrations/0002_add_phone.sql")));
        var fourth = project.Build();
        Assert.True(fourth.ExitCode == 0, fourth.ToString());

        // 4. An edited migration is an error naming the file.
        var initial = project.PathOf("Migrations/0001_initial.sql");
        var original = File.ReadAllText(initial);
        File.AppendAllText(initial, "\n-- sneaky edit\n");
        var edited = project.Build();
        Assert.NotEqual(0, edited.ExitCode);
        Assert.Contains("error DBOPS2002: Migration '0001_initial.sql' changed after it was committed", edited.StdOut);
        File.WriteAllText(initial, original);
        Assert.Equal(0, project.Build().ExitCode);

        // 5. Two migrations with one number (parallel branches).
        File.WriteAllText(project.PathOf("Migrations/0002_other_branch.sql"), "SELECT 1;\n");
        var parallel = project.Build();
        Assert.NotEqual(0, parallel.ExitCode);
        Assert.Contains("DBOPS2006", parallel.StdOut);
        Assert.Contains("0002_other_branch.sql", parallel.StdOut);
        File.Delete(project.PathOf("Migrations/0002_other_branch.sql"));

        // 6. A destructive change is refused, then allowed and recorded in the script header.
        project.Write("dbops.yaml", Schema("\n      Phone: string(40)?").Replace("      Email: { type: string(320), unique: true }\n", ""));
        var refused = AddMigration(project, "DropEmail");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("DBOPS3002", refused.StdOut);
        Assert.False(File.Exists(project.PathOf("Migrations/0003_drop_email.sql")));
        var allowed = AddMigration(project, "DropEmail", "-p:DbOpsAllowDataLoss=true");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("DBOPS3002", File.ReadAllText(project.PathOf("Migrations/0003_drop_email.sql")));
        Assert.Equal(0, project.Build().ExitCode);
    }

    [Fact]
    public void Drift_check_warning_and_off_do_not_fail_and_design_time_builds_never_fail()
    {
        using var project = new ThrowawayProject(packages, driftCheck: null);
        project.Write("dbops.yaml", Schema());

        var warning = project.Build("-p:DbOpsDriftCheck=warning");
        Assert.True(warning.ExitCode == 0, warning.ToString());
        Assert.Contains("warning DBOPS2001", warning.StdOut);

        var off = project.Build("-p:DbOpsDriftCheck=off");
        Assert.True(off.ExitCode == 0, off.ToString());
        Assert.DoesNotContain("DBOPS2001", off.StdOut);

        Assert.Equal(0, project.Dotnet(["restore"]).ExitCode);
        var dtb = project.Dotnet(["msbuild", "-nodeReuse:false", "-t:Compile", "-p:DesignTimeBuild=true", "-p:SkipCompilerExecution=true"]);
        Assert.True(dtb.ExitCode == 0, dtb.ToString());

        // ...and a real build after the design-time build still fails: the warning did not stamp the outputs.
        var real = project.Build();
        Assert.NotEqual(0, real.ExitCode);
        Assert.Contains("error DBOPS2001", real.StdOut);
    }

    [PostgresFact]
    public void DbOpsScript_writes_a_deploy_script_that_runs_twice_safely_on_postgresql()
    {
        using var project = new ThrowawayProject(packages, driftCheck: null);
        project.Write("dbops.yaml", Schema().Replace("namespace: Shop.Data", "namespace: Shop.Data\nprovider: postgresql"));
        Assert.Equal(0, AddMigration(project, "Initial").ExitCode);
        // A unique column on an existing table: built CONCURRENTLY by MigrateAsync, plainly inside the deploy script's DO block.
        project.Write("dbops.yaml", Schema("\n      Phone: { type: string(40)?, unique: true }").Replace("namespace: Shop.Data", "namespace: Shop.Data\nprovider: postgresql"));
        Assert.Equal(0, AddMigration(project, "AddPhone", "-p:DbOpsAllowDataLoss=true").ExitCode);
        Assert.Contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ux_customers_phone", File.ReadAllText(project.PathOf("Migrations/0002_add_phone.sql")));

        var script = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsScript", "-p:DbOpsScriptPath=deploy.sql"]);
        Assert.True(script.ExitCode == 0, script.ToString());

        var server = PostgresServer.Instance;
        var cs = server.CreateDatabase("deploy");
        var first = server.Psql(cs, project.PathOf("deploy.sql"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = server.Psql(cs, project.PathOf("deploy.sql"));
        Assert.True(second.ExitCode == 0, second.ToString());
        using var conn = new Npgsql.NpgsqlConnection(cs);
        conn.Open();
        using var cmd = new Npgsql.NpgsqlCommand(
            "select (select count(*) from dbops_migrations), (select count(*) from information_schema.columns where table_name = 'customers' and column_name = 'phone')", conn);
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(2L, r.GetInt64(0));
        Assert.Equal(1L, r.GetInt64(1));
        r.Close();
        using var index = new Npgsql.NpgsqlCommand("select indisvalid from pg_index where indexrelid = to_regclass('ux_customers_phone')", conn);
        Assert.Equal(true, index.ExecuteScalar());
    }
}
