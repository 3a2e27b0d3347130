using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>
/// DbOpsImport through real `dotnet build`s of throwaway projects: databases written by hand-written DDL of another tool
/// import, build in sync, and their rows read back exactly through the generated API; MigrateAsync records the baseline.
/// </summary>
[Collection(SdkCollection.Name)]
public class ImportTests(SdkPackages packages)
{
    /// <summary>A database another tool made: PascalCase tables (Chinook style) and snake_case ones, SQLite's own type names.</summary>
    private const string SqliteDdl = """
        CREATE TABLE "Artist" ("ArtistId" INTEGER PRIMARY KEY AUTOINCREMENT, "Name" NVARCHAR(120) NOT NULL, "Born" DATETIME NULL);
        CREATE TABLE "Album" (
          "AlbumId" INTEGER NOT NULL PRIMARY KEY,
          "Title" NVARCHAR(160) NOT NULL,
          "ArtistId" INTEGER NOT NULL REFERENCES "Artist" ("ArtistId") ON DELETE CASCADE,
          "Price" NUMERIC(10,2) NOT NULL DEFAULT 9.99,
          "ReleasedOn" DATE NULL);
        CREATE INDEX "IFK_AlbumArtistId" ON "Album" ("ArtistId");
        CREATE TABLE invoice_line (
          invoice_line_id INTEGER PRIMARY KEY,
          album_id INTEGER NOT NULL REFERENCES "Album" ("AlbumId"),
          unit_price NUMERIC(10,2) NOT NULL CHECK (unit_price >= 0),
          quantity INT NOT NULL DEFAULT 1,
          created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
          UNIQUE (album_id, invoice_line_id));
        CREATE INDEX ix_invoice_line_open ON invoice_line (created_at) WHERE quantity > 0;
        CREATE VIEW "AlbumTitles" AS SELECT "Title" FROM "Album";
        CREATE TRIGGER "TouchAlbum" AFTER UPDATE ON "Album" BEGIN SELECT 1; END;
        INSERT INTO "Artist" VALUES (1, 'AC/DC', '1973-11-01 10:30:00');
        INSERT INTO "Album" VALUES (1, 'Highway to Hell', 1, 19.99, '1979-07-27');
        INSERT INTO "Album" ("AlbumId", "Title", "ArtistId") VALUES (2, 'Back in Black', 1);
        INSERT INTO invoice_line VALUES (1, 1, 0.99, 3, '2024-02-29 23:59:58');
        """;

    private const string SqliteProgram = """
        using System.Globalization;
        using App.Data;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // values must not depend on the culture
        await using var db = AppDb.Create("Data Source=" + args[0]);
        Console.WriteLine("PENDING " + string.Join(",", await db.GetPendingMigrationsAsync()));
        var result = await db.MigrateAsync();
        Console.WriteLine("MIGRATED " + result.RecordedBaseline + " applied=" + result.AppliedScripts.Count);
        var artist = (await db.Artists.GetAsync(1))!;
        Console.WriteLine(FormattableString.Invariant($"ARTIST {artist.Name}|{artist.Born:yyyy-MM-dd HH:mm:ss}"));
        foreach (var a in await db.Albums.ListByArtistIdAsync(1))
            Console.WriteLine(FormattableString.Invariant($"ALBUM {a.AlbumId}|{a.Title}|{a.Price}|{a.ReleasedOn:yyyy-MM-dd}"));
        var line = (await db.InvoiceLines.GetAsync(1))!;
        Console.WriteLine(FormattableString.Invariant($"LINE {line.UnitPrice}|{line.Quantity}|{line.CreatedAt:yyyy-MM-dd HH:mm:ss}"));
        var added = await db.Albums.InsertAsync(new Album { AlbumId = 3, Title = "Powerage", ArtistId = 1, Price = 12.50m });
        Console.WriteLine(FormattableString.Invariant($"ADDED {(await db.Albums.GetAsync(3))!.Price} {await db.Albums.CountAsync()}"));
        """;

    [Fact]
    public void Sqlite_database_from_another_tool_imports_builds_in_sync_and_reads_back_exactly()
    {
        var sqlite3 = ProcessRunner.Which("sqlite3");
        Assert.True(sqlite3 is not null, "sqlite3 is required (apt-get install sqlite3)");
        using var project = new ThrowawayProject(packages, programCs: SqliteProgram, driftCheck: null);
        var dbFile = project.PathOf("chinook.db");
        var ddl = project.Write("chinook.sql", SqliteDdl);
        var made = ProcessRunner.Run(sqlite3!, [dbFile, ".read " + ddl]);
        Assert.True(made.ExitCode == 0, made.ToString());

        var import = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsImport", "-p:DbOpsConnectionString=Data Source=chinook.db"]);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("warning DBOPS4010: View AlbumTitles:", import.StdOut);
        Assert.Contains("warning DBOPS4010: Trigger TouchAlbum:", import.StdOut);
        Assert.Contains("DbOps: imported 3 tables from the sqlite database", import.StdOut);
        var yaml = File.ReadAllText(project.PathOf("dbops.yaml"));
        Assert.Contains("naming: exact", yaml);
        Assert.Contains("  InvoiceLine:\n    table: invoice_line\n", yaml);
        Assert.Contains("      Price:\n        type: 'decimal(10,2)'\n        default: 9.99\n", yaml);
        Assert.Contains("      Born:\n        type: datetime\n        nullable: true\n", yaml);
        Assert.Contains("      UnitPrice:\n        column: unit_price\n        type: 'decimal(10,2)'\n", yaml);
        Assert.Contains("        references: Artist.ArtistId\n        onDelete: cascade\n", yaml);
        Assert.Contains("where: \"quantity > 0\"", yaml);
        var baseline = File.ReadAllText(project.PathOf("Migrations/0001_baseline.sql"));
        Assert.StartsWith("-- dbops:baseline tables: Album, Artist, invoice_line\n", baseline);
        Assert.Contains("0001_baseline.sql h1:", File.ReadAllText(project.PathOf("Migrations/dbops.sum")));

        // The next build is in sync (the default drift check fails on any difference) and compiles the generated API.
        var build = project.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("DBOPS2001", build.StdOut);

        var run = project.Dotnet(["run", "--no-build", "--", dbFile]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("PENDING \n", run.StdOut.ReplaceLineEndings("\n"));
        Assert.Contains("MIGRATED 0001_baseline.sql applied=0", run.StdOut);
        Assert.Contains("ARTIST AC/DC|1973-11-01 10:30:00", run.StdOut);
        Assert.Contains("ALBUM 1|Highway to Hell|19.99|1979-07-27", run.StdOut);
        Assert.Contains("ALBUM 2|Back in Black|9.99|", run.StdOut);
        Assert.Contains("LINE 0.99|3|2024-02-29 23:59:58", run.StdOut);
        Assert.Contains("ADDED 12.5 3", run.StdOut);
        var rows = ProcessRunner.Run(sqlite3!, [dbFile, "SELECT count(*) FROM \"Artist\"; SELECT script_name FROM dbops_migrations; SELECT count(*) FROM sqlite_master WHERE name IN ('AlbumTitles', 'TouchAlbum');"]);
        Assert.Equal("1\n0001_baseline.sql\n2\n", rows.StdOut.ReplaceLineEndings("\n"));

        // A second import is refused (the schema and migrations exist) unless forced.
        var again = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsImport", "-p:DbOpsConnectionString=Data Source=chinook.db"]);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("error DBOPS4001: DbOpsImport does not overwrite 'dbops.yaml'", again.StdOut);
        Assert.Contains("error DBOPS4001: DbOpsImport does not overwrite 'Migrations'", again.StdOut);
        Assert.Equal(yaml, File.ReadAllText(project.PathOf("dbops.yaml")));
        var forced = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsImport", "-p:DbOpsConnectionString=Data Source=chinook.db", "-p:DbOpsImportForce=true"]);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(["0001_baseline.sql"], Directory.GetFiles(project.PathOf("Migrations"), "*.sql").Select(Path.GetFileName));

        // A missing file is a coded error, and nothing is created.
        var missing = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsImport", "-p:DbOpsConnectionString=Data Source=nope.db", "-p:DbOpsImportForce=true"]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("error DBOPS4003: Cannot read the sqlite database:", missing.StdOut);
        Assert.False(File.Exists(project.PathOf("nope.db")));
        Assert.DoesNotContain("   at ", missing.StdOut);
    }

    private const string PostgresDdl = """
        CREATE TABLE "Customer" (
          "CustomerId" serial PRIMARY KEY,
          "Email" varchar(320) NOT NULL UNIQUE,
          "Balance" numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT "ck_Customer_Balance_min" CHECK ("Balance" >= 0),
          "Joined" timestamptz NOT NULL DEFAULT now(),
          "Tags" text[] NULL,
          "Wallet" money NULL);
        CREATE TABLE order_line (
          order_line_id bigint GENERATED BY DEFAULT AS IDENTITY CONSTRAINT pk_order_line PRIMARY KEY,
          customer_id integer NOT NULL CONSTRAINT fk_order_line_customer_id REFERENCES "Customer" ("CustomerId") ON DELETE CASCADE,
          sku character varying(40) NOT NULL CHECK (sku <> ''),
          qty smallint NOT NULL DEFAULT 1,
          ordered_on date NOT NULL,
          details jsonb NULL,
          token uuid NOT NULL DEFAULT gen_random_uuid(),
          flag boolean NOT NULL DEFAULT false);
        CREATE INDEX ix_order_line_sku ON order_line (sku) WHERE qty > 0;
        CREATE VIEW big_customers AS SELECT "CustomerId" FROM "Customer" WHERE "Balance" > 1000;
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER order_line_touch BEFORE UPDATE ON order_line FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE SEQUENCE invoice_numbers;
        INSERT INTO "Customer" ("Email", "Balance", "Joined", "Tags") VALUES ('ann@x.io', 1234.50, '2024-03-01 12:00:00+00', '{a,b}');
        INSERT INTO order_line (customer_id, sku, qty, ordered_on, details) VALUES (1, 'SKU-1', 2, '2024-03-02', '{"gift": true}');
        """;

    private const string PostgresProgram = """
        using App.Data;
        using static System.FormattableString;
        await using var db = AppDb.Create(args[0]);
        var result = await db.MigrateAsync();
        Console.WriteLine("MIGRATED " + result.RecordedBaseline + " applied=" + result.AppliedScripts.Count);
        var c = (await db.Customers.GetAsync(1))!;
        Console.WriteLine(Invariant($"CUSTOMER {c.Email}|{c.Balance}|{c.Joined.ToUniversalTime():yyyy-MM-dd HH:mm:ss}"));
        foreach (var l in await db.OrderLines.ListByCustomerIdAsync(1))
            Console.WriteLine(Invariant($"LINE {l.Sku}|{l.Qty}|{l.OrderedOn:yyyy-MM-dd}|{l.Details}|{l.Flag}|{l.Token != Guid.Empty}"));
        var added = await db.Customers.InsertAsync(new Customer { Email = "bob@x.io", Balance = 5m, Joined = DateTimeOffset.UtcNow });
        Console.WriteLine("ADDED " + added.CustomerId);
        """;

    private const string Secret = "Pg-S3cret-9x";

    [PostgresFact]
    public void Postgres_database_imports_with_warnings_for_what_it_cannot_express_and_no_password_anywhere()
    {
        var cs = PostgresServer.Instance.CreateDatabase("import") + ";Password=" + Secret;
        using (var conn = new Npgsql.NpgsqlConnection(cs))
        {
            conn.Open();
            using var cmd = new Npgsql.NpgsqlCommand(PostgresDdl, conn);
            cmd.ExecuteNonQuery();
        }
        using var project = new ThrowawayProject(packages, programCs: PostgresProgram, driftCheck: null);
        var env = new Dictionary<string, string?>(packages.Environment) { ["DBOPS_CONNECTION_STRING"] = cs };

        // The connection string from the environment, at diagnostic verbosity.
        var import = ProcessRunner.Run("dotnet", ["build", "-nodeReuse:false", "-t:DbOpsImport", "-p:DbOpsProvider=postgresql", "-v:diag"],
            project.Dir, env, timeout: TimeSpan.FromMinutes(5));
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.DoesNotContain(Secret, import.Output);
        foreach (var o in new[] { "View big_customers", "Function touch", "Trigger order_line_touch on order_line", "Sequence invoice_numbers" })
            Assert.Contains($"warning DBOPS4010: {o}:", import.StdOut);
        Assert.Contains("warning DBOPS4011: Column Customer.Tags: type text[] has no dbops type", import.StdOut);
        Assert.Contains("warning DBOPS4011: Column Customer.Wallet: type money has no dbops type", import.StdOut);
        Assert.Contains("warning DBOPS4014: Primary key Customer_pkey of Customer:", import.StdOut);
        Assert.Contains("ALTER TABLE Customer RENAME CONSTRAINT Customer_pkey TO pk_Customer", import.StdOut);
        Assert.DoesNotContain("DBOPS4014: Foreign key", import.StdOut); // fk_order_line_customer_id is DbOps' own name
        var yaml = File.ReadAllText(project.PathOf("dbops.yaml"));
        Assert.Contains("provider: postgresql\n", yaml);
        Assert.Contains("      Balance:\n        type: 'decimal(12,2)'\n        default: 0\n        min: 0\n", yaml);
        Assert.Contains("      Joined:\n        type: datetimeoffset\n        defaultSql: \"now()\"\n", yaml);
        Assert.Contains("      Sku:\n        column: sku\n        type: string(40)\n", yaml);
        Assert.Contains("where: \"qty > 0\"", yaml);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(yaml, @"sql: ""\(?sku\)?(::text)? <> ''::text"""), yaml); // PostgreSQL's own text of CHECK (sku <> '') on a varchar

        var build = ProcessRunner.Run("dotnet", ["build", "-nodeReuse:false", "-clp:NoSummary"], project.Dir, env, timeout: TimeSpan.FromMinutes(5));
        Assert.True(build.ExitCode == 0, build.ToString());
        var run = ProcessRunner.Run("dotnet", ["run", "--no-build", "--", cs], project.Dir, env, timeout: TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("MIGRATED 0001_baseline.sql applied=0", run.StdOut);
        Assert.Contains("CUSTOMER ann@x.io|1234.50|2024-03-01 12:00:00", run.StdOut);
        Assert.Contains("LINE SKU-1|2|2024-03-02|{\"gift\": true}|False|True", run.StdOut);
        Assert.Contains("ADDED 2", run.StdOut);

        // From the property (';' escaped, as the README says) at normal verbosity, and a connection that fails: never the
        // password. (From -v:detailed on, MSBuild itself echoes its command line, -p: values included: the README says so.)
        var forced = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsImport", "-p:DbOpsProvider=postgresql", "-p:DbOpsImportForce=true",
            $"-p:DbOpsConnectionString={cs.Replace(";", "%3B", StringComparison.Ordinal)}", "-v:normal"]);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.DoesNotContain(Secret, forced.Output);
        var refused = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsImport", "-p:DbOpsProvider=postgresql", "-p:DbOpsImportForce=true",
            $"-p:DbOpsConnectionString=Host=127.0.0.1%3BPort=1%3BUsername=app%3BPassword={Secret}%3BTimeout=3"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("error DBOPS4003: Cannot read the postgresql database:", refused.StdOut);
        Assert.DoesNotContain(Secret, refused.Output);
        Assert.DoesNotContain("   at ", refused.Output);
        foreach (var file in Directory.EnumerateFiles(project.Dir, "*", SearchOption.AllDirectories))
            Assert.False(File.ReadAllText(file).Contains(Secret, StringComparison.Ordinal), $"{file} contains the password");
    }
}
