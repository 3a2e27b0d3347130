using DbOps.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DbOps.Runtime.Tests;

public class SqliteMigrationTests
{
    private static readonly (string, string)[] Two =
    [
        ("0001_initial.sql", "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"),
        ("0002_add_order.sql", "CREATE TABLE \"order\" (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer (id));\nINSERT INTO customer (id, name) VALUES (1, 'seed');\n"),
    ];

    [Fact]
    public async Task Applies_scripts_once_and_rerun_is_a_no_op()
    {
        using var db = new SqliteDb();
        var logger = new ListLogger();
        var first = await db.MigrateAsync(Scripts.Of(Two), logger);
        Assert.Equal(["0001_initial.sql", "0002_add_order.sql"], first.AppliedScripts);
        Assert.Equal(0, first.AlreadyAppliedCount);
        Assert.Equal(
            Two.Select(s => (s.Item1, DbOpsMigrationScript.ComputeChecksum(s.Item2))),
            db.Journal());
        Assert.Equal(2, logger.Lines.Count(l => l.Level == LogLevel.Information && l.Message.StartsWith("Applied migration ", StringComparison.Ordinal)));
        Assert.Contains(logger.Lines, l => l.Message.StartsWith("Applied migration 0002_add_order.sql in ", StringComparison.Ordinal) && l.Message.EndsWith(" ms", StringComparison.Ordinal));

        var second = await db.MigrateAsync(Scripts.Of(Two));
        Assert.True(second.WasUpToDate);
        Assert.Equal(2, second.AlreadyAppliedCount);
        Assert.Equal(1, db.Scalar<long>("SELECT COUNT(*) FROM customer"));
        Assert.Equal(2, db.Journal().Count);
        Assert.Equal(2, db.Scalar<long>("SELECT COUNT(*) FROM dbops_migrations WHERE applied_at LIKE '2%-%-% %:%:%'"));
        Assert.Equal(1, db.Scalar<long>("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task Only_new_scripts_are_applied_later()
    {
        using var db = new SqliteDb();
        await db.MigrateAsync(Scripts.Of(Two[0]));
        var result = await db.MigrateAsync(Scripts.Of(Two));
        Assert.Equal(["0002_add_order.sql"], result.AppliedScripts);
        Assert.Equal(1, result.AlreadyAppliedCount);
    }

    [Fact]
    public async Task Edited_applied_script_is_refused_before_anything_runs()
    {
        using var db = new SqliteDb();
        await db.MigrateAsync(Scripts.Of(Two[0]));
        var edited = Scripts.Of(("0001_initial.sql", Two[0].Item2.Replace("name TEXT", "full_name TEXT")), Two[1]);
        var e = await Assert.ThrowsAsync<DbOpsMigrationException>(() => db.MigrateAsync(edited));
        Assert.Equal("0001_initial.sql", e.ScriptName);
        Assert.Contains("'0001_initial.sql' was edited after it was applied", e.Message);
        Assert.False(Sql.SqliteTableExists(db.DataSource, "order"));
        await Assert.ThrowsAsync<DbOpsMigrationException>(() =>
            DbOpsMigrator.GetPendingMigrationsAsync(db.DataSource, DbOpsSqliteServices.Instance, edited));

        // Line endings are not an edit.
        var crlf = Scripts.Of(("0001_initial.sql", Two[0].Item2.Replace("\n", "\r\n")));
        Assert.True((await db.MigrateAsync(crlf)).WasUpToDate);
    }

    [Fact]
    public async Task Database_newer_than_the_application_is_refused()
    {
        using var db = new SqliteDb();
        await db.MigrateAsync(Scripts.Of(Two));
        var e = await Assert.ThrowsAsync<DbOpsMigrationException>(() => db.MigrateAsync(Scripts.Of(Two[0])));
        Assert.Equal("0002_add_order.sql", e.ScriptName);
        Assert.Contains("does not contain it", e.Message);
    }

    [Fact]
    public async Task Pending_script_older_than_an_applied_one_is_refused()
    {
        using var db = new SqliteDb();
        await db.MigrateAsync(Scripts.Of(Two[0], ("0003_c.sql", "CREATE TABLE c (id INTEGER);")));
        var e = await Assert.ThrowsAsync<DbOpsMigrationException>(() =>
            db.MigrateAsync(Scripts.Of(Two[0], Two[1], ("0003_c.sql", "CREATE TABLE c (id INTEGER);"))));
        Assert.Equal("0002_add_order.sql", e.ScriptName);
        Assert.False(Sql.SqliteTableExists(db.DataSource, "order"));
    }

    [Fact]
    public async Task Failing_script_rolls_back_and_the_error_surfaces()
    {
        using var db = new SqliteDb();
        var scripts = Scripts.Of(Two[0],
            ("0002_broken.sql", "CREATE TABLE half (id INTEGER);\nINSERT INTO half VALUES (1);\nINSERT INTO no_such_table VALUES (1);\n"),
            ("0003_after.sql", "CREATE TABLE after (id INTEGER);"));
        var e = await Assert.ThrowsAsync<DbOpsMigrationException>(() => db.MigrateAsync(scripts));
        Assert.Equal("0002_broken.sql", e.ScriptName);
        Assert.Contains("no such table: no_such_table", e.Message);
        Assert.IsType<SqliteException>(e.InnerException);
        Assert.False(Sql.SqliteTableExists(db.DataSource, "half"));
        Assert.False(Sql.SqliteTableExists(db.DataSource, "after"));
        Assert.Equal(["0001_initial.sql"], db.Journal().Select(j => j.Name));
        Assert.Equal(1, db.Scalar<long>("PRAGMA foreign_keys"));

        // Fixed (it was never applied, so it may change), the run continues.
        scripts[1] = new DbUp.Engine.SqlScript("0002_broken.sql", "CREATE TABLE half (id INTEGER);");
        var result = await db.MigrateAsync(scripts);
        Assert.Equal(["0002_broken.sql", "0003_after.sql"], result.AppliedScripts);
    }

    [Fact]
    public async Task Table_rebuild_with_foreign_keys_off_keeps_cascading_child_rows()
    {
        using var db = new SqliteDb();
        const string initial = """
            CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);
            INSERT INTO parent VALUES (1, 'p');
            INSERT INTO child VALUES (10, 1), (11, 1);
            """;
        await db.MigrateAsync(Scripts.Of(("0001_initial.sql", initial)));
        // The layout DbOps.Sql writes for a SQLite table rebuild.
        var rebuild = """
            -- dbops:no-transaction
            PRAGMA foreign_keys = 0;

            -- dbops:transaction
            CREATE TABLE "ef_temp_parent" (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');
            INSERT INTO "ef_temp_parent" (id, name) SELECT id, name FROM parent;
            DROP TABLE parent;
            ALTER TABLE "ef_temp_parent" RENAME TO parent;

            """ + DbOps.Sql.Migrations.MigrationScript.SqliteForeignKeyCheck + """


            -- dbops:no-transaction
            PRAGMA foreign_keys = 1;
            """;
        var all = Scripts.Of(("0001_initial.sql", initial), ("0002_rebuild_parent.sql", rebuild));
        var result = await db.MigrateAsync(all);
        Assert.Equal(["0002_rebuild_parent.sql"], result.AppliedScripts);
        Assert.Equal(2, db.Scalar<long>("SELECT COUNT(*) FROM child"));
        Assert.Equal(1, db.Scalar<long>("SELECT COUNT(*) FROM pragma_table_info('parent') WHERE name = 'note'"));
        Assert.Equal(1, db.Scalar<long>("PRAGMA foreign_keys"));
        // The rebuilt table still cascades.
        Sql.Exec(db.DataSource, "DELETE FROM parent WHERE id = 1");
        Assert.Equal(0, db.Scalar<long>("SELECT COUNT(*) FROM child"));
    }

    [Fact]
    public async Task Without_the_no_transaction_section_the_same_rebuild_would_cascade()
    {
        // Control for the test above: PRAGMA foreign_keys inside the transaction is a no-op, DROP TABLE cascades.
        using var db = new SqliteDb();
        var scripts = Scripts.Of(
            ("0001_initial.sql", "CREATE TABLE parent (id INTEGER PRIMARY KEY);\nCREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);\nINSERT INTO parent VALUES (1);\nINSERT INTO child VALUES (10, 1);\n"),
            ("0002_rebuild.sql", "PRAGMA foreign_keys = 0;\nCREATE TABLE ef_temp_parent (id INTEGER PRIMARY KEY);\nINSERT INTO ef_temp_parent SELECT id FROM parent;\nDROP TABLE parent;\nALTER TABLE ef_temp_parent RENAME TO parent;\nPRAGMA foreign_keys = 1;\n"));
        await db.MigrateAsync(scripts);
        Assert.Equal(0, db.Scalar<long>("SELECT COUNT(*) FROM child"));
    }

    [Fact]
    public async Task Failing_foreign_key_check_in_a_rebuild_rolls_back_and_restores_foreign_keys()
    {
        using var db = new SqliteDb();
        var scripts = Scripts.Of(
            ("0001_initial.sql", "CREATE TABLE parent (id INTEGER PRIMARY KEY);\nCREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id));\nINSERT INTO parent VALUES (1);\nINSERT INTO child VALUES (10, 1);\n"),
            ("0002_orphan.sql", "-- dbops:no-transaction\nPRAGMA foreign_keys = 0;\n-- dbops:transaction\nDELETE FROM parent;\n" +
                DbOps.Sql.Migrations.MigrationScript.SqliteForeignKeyCheck + "\n-- dbops:no-transaction\nPRAGMA foreign_keys = 1;\n"));
        var e = await Assert.ThrowsAsync<DbOpsMigrationException>(() => db.MigrateAsync(scripts));
        Assert.Contains("dbops_foreign_key_check", e.Message);
        Assert.Equal(1, db.Scalar<long>("SELECT COUNT(*) FROM parent"));
        Assert.Equal(["0001_initial.sql"], db.Journal().Select(j => j.Name));
    }

    [Fact]
    public async Task No_transaction_section_in_the_middle_is_refused_on_sqlite()
    {
        using var db = new SqliteDb();
        var e = await Assert.ThrowsAsync<DbOpsMigrationException>(() => db.MigrateAsync(Scripts.Of(
            ("0001_a.sql", "CREATE TABLE a (id INTEGER);\n-- dbops:no-transaction\nPRAGMA foreign_keys = 0;\n-- dbops:transaction\nCREATE TABLE b (id INTEGER);\n"))));
        Assert.Contains("between transactional statements", e.Message);
        Assert.False(Sql.SqliteTableExists(db.DataSource, "a"));
    }

    [Fact]
    public async Task Dry_run_creates_nothing_and_lists_pending_scripts()
    {
        using var db = new SqliteDb();
        Assert.Equal(["0001_initial.sql", "0002_add_order.sql"],
            await DbOpsMigrator.GetPendingMigrationsAsync(db.DataSource, DbOpsSqliteServices.Instance, Scripts.Of(Two)));
        Assert.False(File.Exists(db.Path));

        Sql.Exec(db.DataSource, "CREATE TABLE unrelated (id INTEGER)");
        Assert.Equal(2, (await DbOpsMigrator.GetPendingMigrationsAsync(db.DataSource, DbOpsSqliteServices.Instance, Scripts.Of(Two))).Count);
        Assert.False(Sql.SqliteTableExists(db.DataSource, "dbops_migrations"));

        await db.MigrateAsync(Scripts.Of(Two[0]));
        Assert.Equal(["0002_add_order.sql"], await DbOpsMigrator.GetPendingMigrationsAsync(db.DataSource, DbOpsSqliteServices.Instance, Scripts.Of(Two)));
        await db.MigrateAsync(Scripts.Of(Two));
        Assert.Empty(await DbOpsMigrator.GetPendingMigrationsAsync(db.DataSource, DbOpsSqliteServices.Instance, Scripts.Of(Two)));
    }

    [Fact]
    public async Task Embedded_scripts_of_an_assembly_are_applied()
    {
        using var db = new SqliteDb();
        var result = await DbOpsMigrator.MigrateAsync(db.DataSource, DbOpsSqliteServices.Instance, typeof(SqliteMigrationTests).Assembly);
        Assert.Equal(["0001_initial.sql", "0002_add_b.sql"], result.AppliedScripts);
        Assert.Equal(1, db.Scalar<long>("SELECT COUNT(*) FROM embedded_a"));
        Assert.Empty(await DbOpsMigrator.GetPendingMigrationsAsync(db.DataSource, DbOpsSqliteServices.Instance, typeof(SqliteMigrationTests).Assembly));
    }

    [Fact]
    public async Task Concurrent_migrations_in_one_process_apply_each_script_once()
    {
        using var db = new SqliteDb();
        var scripts = Scripts.Of(
            ("0001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL);"),
            ("0002_seed.sql", "INSERT INTO items (what) VALUES ('seed');"),
            ("0003_more.sql", "-- dbops:no-transaction\nPRAGMA foreign_keys = 0;\n-- dbops:transaction\nINSERT INTO items (what) VALUES ('more');\n-- dbops:no-transaction\nPRAGMA foreign_keys = 1;\n"));
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => db.MigrateAsync(scripts))));
        Assert.Equal(3, results.Sum(r => r.AppliedScripts.Count));
        Assert.Equal(2, db.Scalar<long>("SELECT COUNT(*) FROM items"));
        Assert.Equal(3, db.Journal().Count);
    }
}
