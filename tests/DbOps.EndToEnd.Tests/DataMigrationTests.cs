using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>
/// Data migrations through real `dotnet build`s and runs of a project using the packed SDK: DbOpsMigrationKind=data writes
/// a numbered, summed script that leaves the snapshot alone (the drift gate stays green); an edit of its hand-written part is
/// re-summed by DbOpsAddMigration with the same name; the app applies it once, in order; schema+data carries a data section
/// after generated SQL.
/// </summary>
[Collection(SdkCollection.Name)]
public class DataMigrationTests(SdkPackages packages)
{
    private static string Schema(string provider, string extraColumns = "") => $$"""
        dbops: 1
        name: ShopDb
        namespace: Shop.Data
        provider: {{provider}}
        entities:
          Customer:
            table: customers
            columns:
              Id:    { type: int64, primaryKey: true, identity: true }
              Email: { type: string(320), unique: true }
              Name:  string(200){{extraColumns}}
        """;

    // Migrates, inserts one customer named by the first argument, prints what it applied and every row (id, email left out).
    private const string Program = """
        using Shop.Data;
        await using var db = ShopDb.Create(Environment.GetEnvironmentVariable("APP_DB")!);
        var result = await db.MigrateAsync();
        await db.Customers.InsertAsync(new Customer { Email = $"{args[0]}@x.io", Name = args[0] });
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT * FROM customers ORDER BY id";
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync())
            rows.Add(string.Join(":", Enumerable.Range(0, r.FieldCount).Where(i => r.GetName(i) is not ("id" or "email"))
                .Select(i => r.IsDBNull(i) ? "null" : r.GetValue(i).ToString())));
        Console.WriteLine($"applied=[{string.Join(",", result.AppliedScripts)}] rows=[{string.Join(",", rows)}]");
        """;

    [Fact]
    public void Sqlite_data_migration_is_summed_applied_once_in_order_and_never_drift() => Run("sqlite", "Data Source=app.db");

    [PostgresFact]
    public void Postgresql_data_migration_is_summed_applied_once_in_order_and_never_drift() =>
        Run("postgresql", PostgresServer.Instance.CreateDatabase("datamig"));

    private void Run(string provider, string connectionString)
    {
        using var project = new ThrowawayProject(packages, driftCheck: null, programCs: Program);
        project.Write("dbops.yaml", Schema(provider));
        Assert.Equal(0, AddMigration(project, "Initial").ExitCode);
        Expect(project, connectionString, "ann", "applied=[0001_initial.sql] rows=[ann]");

        // 1. The data migration: next number, a header, an empty body; the snapshot is untouched; the gate stays green.
        var snapshot = File.ReadAllText(project.PathOf("Migrations/dbops.snapshot.yaml"));
        var add = AddMigration(project, "BackfillNames", "-p:DbOpsMigrationKind=data");
        Assert.True(add.ExitCode == 0, add.ToString());
        var path = project.PathOf("Migrations/0002_backfill_names.sql");
        var written = File.ReadAllText(path);
        Assert.StartsWith("-- DbOps data migration 0002_backfill_names\n", written);
        Assert.Contains($"-- provider: {provider}\n", written);
        Assert.Matches(@"\n-- dbops:data h1:[A-Za-z0-9+/=]+\n", written);
        Assert.Equal(snapshot, File.ReadAllText(project.PathOf("Migrations/dbops.snapshot.yaml")));
        Assert.Contains("0002_backfill_names.sql h1:", File.ReadAllText(project.PathOf("Migrations/dbops.sum")));
        var green = project.Build();
        Assert.True(green.ExitCode == 0, green.ToString());

        // 2. Writing its SQL is an edit the sum catches, and the message says how to accept it...
        File.AppendAllText(path, "UPDATE customers SET name = upper(name);\n");
        var edited = project.Build();
        Assert.NotEqual(0, edited.ExitCode);
        Assert.Contains("error DBOPS2002: Migration '0002_backfill_names.sql' changed", edited.StdOut);
        Assert.Contains("-t:DbOpsAddMigration -p:DbOpsMigrationName=backfill_names", edited.StdOut);
        // ...an edit above the data section is refused...
        var withSql = File.ReadAllText(path);
        File.WriteAllText(path, withSql.Replace("-- provider:", "-- provider (edited):"));
        var above = AddMigration(project, "BackfillNames");
        Assert.NotEqual(0, above.ExitCode);
        Assert.Contains("error DBOPS2015", above.StdOut);
        // ...and DbOpsAddMigration with the same name re-sums the hand-written part.
        File.WriteAllText(path, withSql);
        var resum = AddMigration(project, "BackfillNames");
        Assert.True(resum.ExitCode == 0, resum.ToString());
        Assert.Contains("re-summed Migrations/0002_backfill_names.sql", resum.StdOut);
        Assert.Equal(snapshot, File.ReadAllText(project.PathOf("Migrations/dbops.snapshot.yaml")));
        var greenAgain = project.Build();
        Assert.True(greenAgain.ExitCode == 0, greenAgain.ToString());

        // 3. Applied once, in order: ann (already there) is upper-cased; bob (inserted after it ran) stays as written.
        Expect(project, connectionString, "bob", "applied=[0002_backfill_names.sql] rows=[ANN,bob]");
        Expect(project, connectionString, "cy", "applied=[] rows=[ANN,bob,cy]");

        // 4. A generated migration with a data section (schema+data): the new column, then its backfill.
        project.Write("dbops.yaml", Schema(provider, "\n      Nickname: string(200)?"));
        var mixed = AddMigration(project, "AddNickname", "-p:DbOpsMigrationKind=schema+data");
        Assert.True(mixed.ExitCode == 0, mixed.ToString());
        var mixedPath = project.PathOf("Migrations/0003_add_nickname.sql");
        Assert.Contains("nickname", File.ReadAllText(mixedPath));
        Assert.Contains("-- dbops:data h1:", File.ReadAllText(mixedPath));
        // On SQLite the column comes with a table rebuild: the data section sits inside it, above its dbops:end-data line.
        var mixedText = File.ReadAllText(mixedPath);
        var end = mixedText.IndexOf("-- dbops:end-data", StringComparison.Ordinal);
        Assert.Equal(provider == "sqlite", end >= 0);
        File.WriteAllText(mixedPath, mixedText.Insert(end < 0 ? mixedText.Length : end, "UPDATE customers SET nickname = lower(name);\n"));
        Assert.Equal(0, AddMigration(project, "AddNickname").ExitCode);
        Expect(project, connectionString, "dan", "applied=[0003_add_nickname.sql] rows=[ANN:ann,bob:bob,cy:cy,dan:null]");

        // 5. An earlier migration cannot be re-summed: a database may have applied it.
        File.AppendAllText(path, "-- one more\n");
        var old = AddMigration(project, "BackfillNames");
        Assert.NotEqual(0, old.ExitCode);
        Assert.Contains("error DBOPS2016", old.StdOut);
    }

    private static ProcessResult AddMigration(ThrowawayProject p, string name, params string[] extra) =>
        p.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsAddMigration", $"-p:DbOpsMigrationName={name}", .. extra]);

    private void Expect(ThrowawayProject project, string connectionString, string name, string expected)
    {
        var env = packages.Environment;
        env["APP_DB"] = connectionString;
        var run = ProcessRunner.Run("dotnet", ["run", "--", name], project.Dir, env, timeout: TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(expected, run.StdOut);
    }
}
