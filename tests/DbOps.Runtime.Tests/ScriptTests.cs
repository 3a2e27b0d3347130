using System.Security.Cryptography;
using System.Text;
using DbOps.Runtime;
using DbOps.Sql.Migrations;
using DbUp.Engine;

namespace DbOps.Runtime.Tests;

public class ScriptTests
{
    [Fact]
    public void Checksum_is_h1_base64_sha256_of_the_text_with_lf_line_endings()
    {
        const string text = "CREATE TABLE a (id int);\nSELECT 1;\n";
        var expected = "h1:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(expected, DbOpsMigrationScript.ComputeChecksum(text));
        Assert.Equal(expected, DbOpsMigrationScript.ComputeChecksum(text.Replace("\n", "\r\n")));
        Assert.NotEqual(expected, DbOpsMigrationScript.ComputeChecksum(text + " "));
    }

    [Fact]
    public void Scripts_are_ordered_by_number_and_names_are_checked()
    {
        var list = DbOpsMigrationScript.FromScripts(Scripts.Of(("0010_c.sql", "SELECT 1;"), ("0002_b.sql", "SELECT 1;"), ("0001_a.sql", "SELECT 1;")));
        Assert.Equal(["0001_a.sql", "0002_b.sql", "0010_c.sql"], list.Select(s => s.Name));
        Assert.Equal([1, 2, 10], list.Select(s => s.Number));

        var bad = Assert.Throws<DbOpsMigrationException>(() => DbOpsMigrationScript.FromScripts(Scripts.Of(("initial.sql", "SELECT 1;"))));
        Assert.Equal("initial.sql", bad.ScriptName);
        var twins = Assert.Throws<DbOpsMigrationException>(() =>
            DbOpsMigrationScript.FromScripts(Scripts.Of(("0002_a.sql", "SELECT 1;"), ("0002_b.sql", "SELECT 1;"))));
        Assert.Contains("same number", twins.Message);
    }

    [Fact]
    public void Split_sections_and_batches()
    {
        const string script = """
            -- header comment
            CREATE TABLE a (id int);
            -- dbops:no-transaction
            PRAGMA foreign_keys = 0;
              -- dbops:transaction
            CREATE TABLE b (id int);
            GO
            INSERT INTO b VALUES (1);
            go
            -- only a comment
            GO
            -- dbops:no-transaction

            PRAGMA foreign_keys = 1;
            """;
        var pieces = DbOpsMigrationScript.Split(script);
        Assert.Equal(
        [
            new DbOpsScriptPiece("-- header comment\nCREATE TABLE a (id int);\n", true),
            new DbOpsScriptPiece("PRAGMA foreign_keys = 0;\n", false),
            new DbOpsScriptPiece("CREATE TABLE b (id int);\n", true),
            new DbOpsScriptPiece("INSERT INTO b VALUES (1);\n", true),
            new DbOpsScriptPiece("PRAGMA foreign_keys = 1;\n", false),
        ], pieces);
        Assert.Empty(DbOpsMigrationScript.Split("-- nothing\n\n   \n-- dbops:no-transaction\n"));
    }

    public static TheoryData<string> SplitterScripts() =>
    [
        "CREATE TABLE a (id int);\n",
        "CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n",
        "-- dbops:no-transaction\nPRAGMA foreign_keys = 0;\n\n-- dbops:transaction\nCREATE TABLE \"ef_temp_t\" (x int);\nINSERT INTO \"ef_temp_t\" SELECT x FROM t;\n\n-- dbops:no-transaction\nPRAGMA foreign_keys = 1;\n",
        "CREATE TABLE [a] ([id] int);\nGO\n\nCREATE INDEX [ix] ON [a] ([id]);\nGO\n\n",
        "  -- dbops:no-transaction  \nCREATE INDEX CONCURRENTLY ix ON t (x);\n  -- dbops:transaction\nSELECT 1;\ngo\n-- c\nGO\n",
        "",
        "-- only comments\n-- more\n",
        "SELECT '-- dbops:no-transaction';\nSELECT 'GO';\n  GO  \nSELECT 2;",
        "\n\n\nSELECT 1;\n\n\n-- dbops:transaction\n-- dbops:transaction\nSELECT 2;\n\r\n",
    ];

    [Theory]
    [MemberData(nameof(SplitterScripts))]
    public void Runtime_splitter_agrees_with_the_generators(string script)
    {
        var build = MigrationScript.Split(script).Select(p => new DbOpsScriptPiece(p.Sql, p.InTransaction));
        Assert.Equal(build, DbOpsMigrationScript.Split(script));
    }

    [Fact]
    public void Marker_constants_agree_with_the_generators()
    {
        Assert.Equal(MigrationScript.NoTransactionMarker, DbOpsMigrationScript.NoTransactionMarker);
        Assert.Equal(MigrationScript.TransactionMarker, DbOpsMigrationScript.TransactionMarker);
    }

    [Fact]
    public void Embedded_provider_reads_the_sdk_resources_by_file_name()
    {
        IScriptProvider provider = new DbOpsEmbeddedScriptProvider(typeof(ScriptTests).Assembly);
        var scripts = provider.GetScripts(null!).ToList();
        Assert.Equal(["0001_initial.sql", "0002_add_b.sql"], scripts.Select(s => s.Name));
        Assert.Contains("CREATE TABLE embedded_a", scripts[0].Contents);
        Assert.Empty(new DbOpsEmbeddedScriptProvider(typeof(DbOpsMigrator).Assembly).GetScripts());
    }
}

public class UpgradeLogTests
{
    [Fact]
    public void DbUp_log_lines_reach_the_ILogger_formatted()
    {
        var logger = new ListLogger();
        DbUp.Engine.Output.IUpgradeLog log = new DbOpsUpgradeLog(logger);
        log.LogInformation("Executing {0} ({1})", "0001_initial.sql", 3);
        log.LogWarning("plain {not a placeholder}");
        log.LogError(new InvalidOperationException("x"), "failed {0}", "s");
        Assert.Equal(
        [
            (Microsoft.Extensions.Logging.LogLevel.Information, "Executing 0001_initial.sql (3)"),
            (Microsoft.Extensions.Logging.LogLevel.Warning, "plain {not a placeholder}"),
            (Microsoft.Extensions.Logging.LogLevel.Error, "failed s"),
        ], logger.Lines);
    }
}
