using DbOps.Runtime;
using DbOps.Schema.Model;
using DbOps.Sql.LiveSchema;
using DbOps.Sql.Migrations;
using DbOps.Testing;

namespace DbOps.Migrations.Tests;

/// <summary>
/// The run-time catalog readers (DbOps.Runtime.Sqlite / .PostgreSql) and <see cref="DbOpsSchemaComparer"/> against real
/// databases created by DbOps' own migrations: in sync after the create script, and every kind of hand-made change
/// (ALTER statements) is caught, worded with both sides, and gone again once it is undone.
/// </summary>
public class LiveVerifyTests
{
    public static TheoryData<DbProvider> Providers => new() { DbProvider.Sqlite, DbProvider.PostgreSql };

    private static DbOpsSchemaReader Reader(DbProvider provider) =>
        provider == DbProvider.Sqlite ? SqliteSchemaReader.Instance : PostgreSqlSchemaReader.Instance;

    private static DbOpsSchemaReport Verify(TestDb db, SchemaModel schema)
    {
        var reader = Reader(db.Provider);
        var live = reader.ReadAsync(db.Connection).GetAwaiter().GetResult();
        return DbOpsSchemaComparer.Compare(ExpectedShape.Build(schema, db.Provider), live, "migration 0001", reader);
    }

    private static bool Skip(DbProvider provider) => provider == DbProvider.PostgreSql && PostgresServer.FindBinDir() is null;

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_database_made_by_the_migrations_is_in_sync(DbProvider provider)
    {
        if (Skip(provider)) return;
        foreach (var yaml in new[] { TestSchemas.Spec, TestSchemas.KitchenSink })
        {
            var schema = TestSchemas.Load(yaml, provider.ToString().ToLowerInvariant());
            using var db = TestDb.Create(provider);
            var empty = Verify(db, schema);
            Assert.Equal(schema.Entities.Count, empty.Differences.Count);
            Assert.All(empty.Differences, d => Assert.Equal(DbOpsSchemaDifferenceKind.Table, d.Kind));
            db.Apply(MigrationPlanner.Plan(null, schema, provider).Script("0001_initial", false));
            var report = Verify(db, schema);
            Assert.True(report.InSync, report.ToString());
            Assert.Equal($"The database matches migration 0001 ({schema.Entities.Count} tables).", report.ToString());
        }
    }

    // (what is done by hand, how it is undone, the kind of difference, words the difference must contain)
    public static TheoryData<string, string, DbOpsSchemaDifferenceKind, string> PostgresChanges => new()
    {
        { "CREATE TABLE hotfix_log (id int)", "DROP TABLE hotfix_log", DbOpsSchemaDifferenceKind.Table, "table hotfix_log (1 column) exists in the database but not in migration 0001" },
        { "ALTER TABLE orders RENAME TO orders_old", "ALTER TABLE orders_old RENAME TO orders", DbOpsSchemaDifferenceKind.Table, "table orders of migration 0001 is missing from the database" },
        { "ALTER TABLE customers ADD COLUMN hotfix text", "ALTER TABLE customers DROP COLUMN hotfix", DbOpsSchemaDifferenceKind.Column, "column customers.hotfix (text) exists in the database but not in migration 0001" },
        { "ALTER TABLE customers DROP COLUMN phone", "ALTER TABLE customers ADD COLUMN phone varchar(40)", DbOpsSchemaDifferenceKind.Column, "column customers.phone (varchar(40)) of migration 0001 is missing from the database" },
        { "ALTER TABLE customers ALTER COLUMN name TYPE varchar(300)", "ALTER TABLE customers ALTER COLUMN name TYPE varchar(200)", DbOpsSchemaDifferenceKind.ColumnType, "column customers.name is varchar(300) in the database but varchar(200) in migration 0001" },
        { "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,3)", "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)", DbOpsSchemaDifferenceKind.ColumnType, "column orders.total is numeric(14,3) in the database but numeric(12,2) in migration 0001" },
        { "ALTER TABLE customers ALTER COLUMN phone SET NOT NULL", "ALTER TABLE customers ALTER COLUMN phone DROP NOT NULL", DbOpsSchemaDifferenceKind.ColumnNullability, "column customers.phone is NOT NULL in the database but nullable in migration 0001" },
        { "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'Paid'", "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'Pending'", DbOpsSchemaDifferenceKind.ColumnDefault, "column orders.status has default 'Paid'::character varying in the database but default 'Pending' in migration 0001" },
        { "ALTER TABLE orders DROP CONSTRAINT pk_orders; ALTER TABLE orders ADD CONSTRAINT pk_orders PRIMARY KEY (id, customer_id)", "ALTER TABLE orders DROP CONSTRAINT pk_orders; ALTER TABLE orders ADD CONSTRAINT pk_orders PRIMARY KEY (id)", DbOpsSchemaDifferenceKind.PrimaryKey, "table orders has primary key (id, customer_id) in the database but primary key (id) in migration 0001" },
        { "ALTER TABLE customers ADD CONSTRAINT uq_customers_name UNIQUE (name)", "ALTER TABLE customers DROP CONSTRAINT uq_customers_name", DbOpsSchemaDifferenceKind.Unique, "unique constraint uq_customers_name on customers (name) exists in the database but not in migration 0001" },
        { "CREATE INDEX ix_hot ON orders (status)", "DROP INDEX ix_hot", DbOpsSchemaDifferenceKind.Index, "index ix_hot on orders (status) exists in the database but not in migration 0001" },
        { "DROP INDEX ix_customers_name", "CREATE INDEX ix_customers_name ON customers (name)", DbOpsSchemaDifferenceKind.Index, "index ix_customers_name on customers (name) of migration 0001 is missing from the database" },
        { "DROP INDEX ix_customers_name; CREATE INDEX ix_customers_name ON customers (name, phone)", "DROP INDEX ix_customers_name; CREATE INDEX ix_customers_name ON customers (name)", DbOpsSchemaDifferenceKind.Index, "index ix_customers_name on customers is (name, phone) in the database but (name) in migration 0001" },
        { "DROP INDEX ix_customers_name; CREATE UNIQUE INDEX ix_customers_name ON customers (name)", "DROP INDEX ix_customers_name; CREATE INDEX ix_customers_name ON customers (name)", DbOpsSchemaDifferenceKind.Index, "index ix_customers_name on customers is (name) unique in the database but (name) in migration 0001" },
        { "DROP INDEX ix_customers_name; CREATE INDEX ix_customers_name ON customers (name) WHERE phone IS NOT NULL", "DROP INDEX ix_customers_name; CREATE INDEX ix_customers_name ON customers (name)", DbOpsSchemaDifferenceKind.Index, "index ix_customers_name on customers is (name) where (phone IS NOT NULL) in the database but (name) in migration 0001" },
        { "ALTER TABLE orders DROP CONSTRAINT fk_orders_customer_id; ALTER TABLE orders ADD CONSTRAINT fk_orders_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE RESTRICT", "ALTER TABLE orders DROP CONSTRAINT fk_orders_customer_id; ALTER TABLE orders ADD CONSTRAINT fk_orders_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE", DbOpsSchemaDifferenceKind.ForeignKey, "foreign key fk_orders_customer_id on orders (customer_id) is ON DELETE RESTRICT in the database but ON DELETE CASCADE in migration 0001" },
        { "ALTER TABLE orders DROP CONSTRAINT fk_orders_customer_id", "ALTER TABLE orders ADD CONSTRAINT fk_orders_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE", DbOpsSchemaDifferenceKind.ForeignKey, "foreign key fk_orders_customer_id on orders (customer_id) -> customers(id) ON DELETE CASCADE of migration 0001 is missing from the database" },
        { "ALTER TABLE orders ADD CONSTRAINT fk_hot FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE; ALTER TABLE orders DROP CONSTRAINT fk_orders_customer_id; ALTER TABLE orders ADD CONSTRAINT fk_orders_customer_id FOREIGN KEY (id) REFERENCES orders (id)", "ALTER TABLE orders DROP CONSTRAINT fk_orders_customer_id; ALTER TABLE orders RENAME CONSTRAINT fk_hot TO fk_orders_customer_id", DbOpsSchemaDifferenceKind.ForeignKey, "foreign key fk_orders_customer_id on orders (id) -> orders(id) ON DELETE NO ACTION exists in the database but not in migration 0001" },
        { "ALTER TABLE customers ADD CONSTRAINT ck_hot CHECK (length(name) > 1)", "ALTER TABLE customers DROP CONSTRAINT ck_hot", DbOpsSchemaDifferenceKind.Check, "check ck_hot on customers (length((name)::text) > 1) exists in the database but not in migration 0001" },
        { "ALTER TABLE orders DROP CONSTRAINT ck_orders_total_min", "ALTER TABLE orders ADD CONSTRAINT ck_orders_total_min CHECK (total >= 0)", DbOpsSchemaDifferenceKind.Check, "check ck_orders_total_min on orders (total >= 0) of migration 0001 is missing from the database" },
        { "ALTER TABLE orders DROP CONSTRAINT ck_orders_total_min; ALTER TABLE orders ADD CONSTRAINT ck_orders_total_min CHECK (total >= 1)", "ALTER TABLE orders DROP CONSTRAINT ck_orders_total_min; ALTER TABLE orders ADD CONSTRAINT ck_orders_total_min CHECK (total >= 0)", DbOpsSchemaDifferenceKind.Check, "check ck_orders_total_min on orders is (total >= (1)::numeric) in the database but (total >= 0) in migration 0001" },
    };

    [Theory]
    [MemberData(nameof(PostgresChanges))]
    public void Postgres_each_hand_made_change_is_caught_and_passes_again_once_undone(string change, string undo, DbOpsSchemaDifferenceKind kind, string words)
    {
        if (Skip(DbProvider.PostgreSql)) return;
        AssertCaughtAndUndone(DbProvider.PostgreSql, db => db.Execute(change), db => db.Execute(undo), kind, words);
    }

    public static TheoryData<string, string, DbOpsSchemaDifferenceKind, string> SqliteChanges => new()
    {
        { "CREATE TABLE hotfix_log (id INTEGER)", "DROP TABLE hotfix_log", DbOpsSchemaDifferenceKind.Table, "table hotfix_log (1 column) exists in the database but not in migration 0001" },
        { "ALTER TABLE orders RENAME TO orders_old", "ALTER TABLE orders_old RENAME TO orders", DbOpsSchemaDifferenceKind.Table, "table orders of migration 0001 is missing from the database" },
        { "ALTER TABLE customers ADD COLUMN hotfix TEXT", "ALTER TABLE customers DROP COLUMN hotfix", DbOpsSchemaDifferenceKind.Column, "column customers.hotfix (text) exists in the database but not in migration 0001" },
        { "ALTER TABLE orders DROP COLUMN status", "ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'Pending'", DbOpsSchemaDifferenceKind.Column, "column orders.status (text) of migration 0001 is missing from the database" },
        { "CREATE INDEX ix_hot ON orders (status)", "DROP INDEX ix_hot", DbOpsSchemaDifferenceKind.Index, "index ix_hot on orders (status) exists in the database but not in migration 0001" },
        { "DROP INDEX ix_customers_name", "CREATE INDEX ix_customers_name ON customers (name)", DbOpsSchemaDifferenceKind.Index, "index ix_customers_name on customers (name) of migration 0001 is missing from the database" },
        { "DROP INDEX ix_customers_name; CREATE UNIQUE INDEX ix_customers_name ON customers (name, phone)", "DROP INDEX ix_customers_name; CREATE INDEX ix_customers_name ON customers (name)", DbOpsSchemaDifferenceKind.Index, "index ix_customers_name on customers is (name, phone) unique in the database but (name) in migration 0001" },
        { "DROP INDEX ix_customers_name; CREATE INDEX ix_customers_name ON customers (name) WHERE phone IS NOT NULL", "DROP INDEX ix_customers_name; CREATE INDEX ix_customers_name ON customers (name)", DbOpsSchemaDifferenceKind.Index, "index ix_customers_name on customers is (name) where phone IS NOT NULL in the database but (name) in migration 0001" },
    };

    [Theory]
    [MemberData(nameof(SqliteChanges))]
    public void Sqlite_each_hand_made_change_is_caught_and_passes_again_once_undone(string change, string undo, DbOpsSchemaDifferenceKind kind, string words)
    {
        AssertCaughtAndUndone(DbProvider.Sqlite, db => db.Execute(change), db => db.Execute(undo), kind, words);
    }

    // SQLite cannot ALTER a column or a constraint: a hand-made change rebuilds the table (the 12 steps of its manual).
    public static TheoryData<string, string, string, DbOpsSchemaDifferenceKind, string> SqliteRebuilds => new()
    {
        { "orders", "\"total\" TEXT NOT NULL", "\"total\" NUMERIC(14,2) NOT NULL", DbOpsSchemaDifferenceKind.ColumnType, "column orders.total is numeric(14,2) in the database but text in migration 0001" },
        { "orders", "\"placed_at\" TEXT NOT NULL", "\"placed_at\" TEXT NULL", DbOpsSchemaDifferenceKind.ColumnNullability, "column orders.placed_at is nullable in the database but NOT NULL in migration 0001" },
        { "orders", "DEFAULT 'Pending'", "DEFAULT 'Paid'", DbOpsSchemaDifferenceKind.ColumnDefault, "column orders.status has default 'Paid' in the database but default 'Pending' in migration 0001" },
        { "orders", "ON DELETE CASCADE", "ON DELETE RESTRICT", DbOpsSchemaDifferenceKind.ForeignKey, "foreign key fk_orders_customer_id on orders (customer_id) is ON DELETE RESTRICT in the database but ON DELETE CASCADE in migration 0001" },
        { "orders", "CHECK (CAST(\"total\" AS NUMERIC) >= 0)", "CHECK (CAST(\"total\" AS NUMERIC) >= 1)", DbOpsSchemaDifferenceKind.Check, "check ck_orders_total_min on orders is (CAST(\"total\" AS NUMERIC) >= 1) in the database but (CAST(\"total\" AS NUMERIC) >= 0) in migration 0001" },
        { "orders", "CONSTRAINT \"ck_orders_total_min\"", "CONSTRAINT \"ck_hot\"", DbOpsSchemaDifferenceKind.Check, "check ck_hot on orders (CAST(\"total\" AS NUMERIC) >= 0) exists in the database but not in migration 0001" },
        { "orders", "CONSTRAINT \"pk_orders\" PRIMARY KEY", "CONSTRAINT \"pk_orders\" UNIQUE", DbOpsSchemaDifferenceKind.PrimaryKey, "table orders has no primary key in the database but primary key (id) in migration 0001" },
        { "customers", "\"phone\" TEXT NULL", "\"phone\" TEXT NULL UNIQUE", DbOpsSchemaDifferenceKind.Unique, "unique constraint on customers (phone) exists in the database but not in migration 0001" },
    };

    [Theory]
    [MemberData(nameof(SqliteRebuilds))]
    public void Sqlite_each_table_rebuilt_by_hand_is_caught_and_passes_again_once_undone(string table, string from, string to, DbOpsSchemaDifferenceKind kind, string words)
    {
        AssertCaughtAndUndone(DbProvider.Sqlite, db => RebuildSqlite(db, table, from, to), db => RebuildSqlite(db, table, to, from), kind, words);
    }

    private static void AssertCaughtAndUndone(DbProvider provider, Action<TestDb> change, Action<TestDb> undo, DbOpsSchemaDifferenceKind kind, string words)
    {
        var schema = TestSchemas.Load(TestSchemas.Spec, provider.ToString().ToLowerInvariant());
        using var db = TestDb.Create(provider);
        db.Apply(MigrationPlanner.Plan(null, schema, provider).Script("0001_initial", false));
        Assert.True(Verify(db, schema).InSync);
        change(db);
        var report = Verify(db, schema);
        Assert.False(report.InSync);
        Assert.Contains(report.Differences, d => d.Kind == kind && d.Message == words);
        undo(db);
        var again = Verify(db, schema);
        Assert.True(again.InSync, again.ToString());
    }

    // Creates the table anew from its stored CREATE statement with one edit, copies the rows, swaps it in, restores its indexes.
    private static void RebuildSqlite(TestDb db, string table, string from, string to)
    {
        var sql = (string)db.Rows($"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'")[0][0]!;
        Assert.Contains(from, sql);
        var indexes = db.Rows($"SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL").Select(r => (string)r[0]!).ToList();
        db.Execute("PRAGMA foreign_keys = OFF");
        var created = sql.Replace(from, to).Replace($"CREATE TABLE \"{table}\"", $"CREATE TABLE \"{table}_new\"");
        db.Execute(created);
        db.Execute($"INSERT INTO \"{table}_new\" SELECT * FROM \"{table}\"");
        db.Execute($"DROP TABLE \"{table}\"");
        db.Execute($"ALTER TABLE \"{table}_new\" RENAME TO \"{table}\"");
        foreach (var index in indexes) db.Execute(index);
        db.Execute("PRAGMA foreign_keys = ON");
    }
}

public class LiveVerifyNormalizationTests
{
    [Theory]
    [InlineData("'13:45:30.25'::time without time zone", "TIME '13:45:30.25'")]
    [InlineData("'2024-01-02 03:04:05'::timestamp without time zone", "TIMESTAMP '2024-01-02T03:04:05'")]
    [InlineData("'\\x010203'::bytea", "BYTEA E'\\\\x010203'")]
    [InlineData("'Pending'::character varying", "'Pending'")]
    [InlineData("0.0", "0")]
    [InlineData("12.50", "12.5")]
    [InlineData("true", "TRUE")]
    [InlineData("(CURRENT_TIMESTAMP)", "CURRENT_TIMESTAMP")]
    public void Postgres_defaults_in_two_spellings_are_equal(string live, string expected) =>
        Assert.Equal(PostgreSqlSchemaReader.Instance.NormalizeDefault(expected), PostgreSqlSchemaReader.Instance.NormalizeDefault(live));

    [Theory]
    [InlineData("'a'", "'b'")]
    [InlineData("1", "2")]
    [InlineData("'2024-01-02 03:04:05'::timestamp", "TIMESTAMP '2024-01-02T03:04:06'")]
    public void Different_defaults_differ(string live, string expected) =>
        Assert.NotEqual(PostgreSqlSchemaReader.Instance.NormalizeDefault(expected), PostgreSqlSchemaReader.Instance.NormalizeDefault(live));

    [Theory]
    [InlineData("((i16 >= '-100'::integer))", "i16 >= -100")]
    [InlineData("((login)::text <> 'admin'::text)", "login <> 'admin'")]
    [InlineData("(char_length((name)::text) >= 1)", "char_length(name) >= 1")]
    public void Postgres_conditions_in_two_spellings_are_equal(string live, string expected) =>
        Assert.Equal(PostgreSqlSchemaReader.Instance.NormalizeSql(expected), PostgreSqlSchemaReader.Instance.NormalizeSql(live));

    [Theory]
    [InlineData("character varying(40)", "varchar(40)")]
    [InlineData("timestamp with time zone", "timestamptz")]
    [InlineData("numeric(12, 2)", "numeric(12,2)")]
    public void Postgres_type_names_are_normalized(string live, string expected) =>
        Assert.Equal(expected, PostgreSqlSchemaReader.Instance.NormalizeType(live));
}
