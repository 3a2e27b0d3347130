using DbOps.Generated.Schemas;
using DbOps.Schema.Model;

namespace DbOps.CodeGen.Tests;

/// <summary>Key SQL strings of the generated code (const strings built at generation time).</summary>
public class SqlTextTests
{
    private static string File(DbProvider provider, string name, string schema = "shop") =>
        CSharpGenerator.Generate(TestSchemas.Get(schema, provider), new CodeGenOptions("X")).Single(f => f.FileName == name).Content;

    private static string Sql(string content, string constName)
    {
        var line = content.Split('\n').Single(l => l.Contains($" const string {constName} = "));
        return line[(line.IndexOf("= ", StringComparison.Ordinal) + 2)..].TrimEnd(';');
    }

    [Fact]
    public void Sqlite_uses_double_quotes_RETURNING_and_ON_CONFLICT()
    {
        var c = File(DbProvider.Sqlite, "Customer.g.cs");
        Assert.Equal("""
            "INSERT INTO \"customers\" (\"email\", \"name\", \"phone\", \"created_at\") VALUES (@p0, @p1, @p2, COALESCE(@p3, CURRENT_TIMESTAMP)) RETURNING \"id\", \"created_at\""
            """, Sql(c, "InsertSql"));
        Assert.Contains("ON CONFLICT (\\\"id\\\") DO UPDATE SET \\\"email\\\" = excluded.\\\"email\\\"", Sql(c, "UpsertSql"));
        Assert.Equal("""
            "SELECT \"id\", \"email\", \"name\", \"phone\", \"created_at\" FROM \"customers\" WHERE \"id\" > @p0 ORDER BY \"id\" LIMIT @p1"
            """, Sql(c, "ListAfterSql"));
        // One-row writes build their parameters from the bulk value getters and one type per column, unnamed: the
        // runtime names them @pN by position. Each column's value conversion is written once.
        Assert.Contains("private static readonly SqliteType[] Types = [SqliteType.Integer, SqliteType.Text, SqliteType.Text, SqliteType.Text, SqliteType.Text];", c);
        Assert.Contains("new SqliteParameter(\"\", Types[i]) { Value = insert ? UpsertValues(e, i) : BulkValues(e, i) };", c);
        Assert.Contains("1 => (object?)e.Email ?? DBNull.Value,", c);
        Assert.Contains("private static void BindKey(DbCommand command, long key) => command.Parameters.Add(new SqliteParameter(\"@p0\", SqliteType.Integer)", c);
    }

    [Fact]
    public void PostgreSql_uses_positional_parameters_binary_COPY_and_typed_parameters()
    {
        var o = File(DbProvider.PostgreSql, "Order.g.cs");
        Assert.Equal("""
            "INSERT INTO \"orders\" (\"id\", \"customer_id\", \"status\", \"total\", \"placed_at\") VALUES ($1, $2, $3, $4, $5)"
            """, Sql(o, "InsertSql"));
        Assert.Equal("""
            "COPY \"orders\" (\"id\", \"customer_id\", \"status\", \"total\", \"placed_at\") FROM STDIN (FORMAT BINARY)"
            """, Sql(o, "CopySql"));
        Assert.Contains("NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = e.PlacedAt.ToUniversalTime()", o);
        Assert.Contains("ON CONFLICT (\\\"id\\\") DO UPDATE SET", Sql(o, "UpsertSql"));
        var c = File(DbProvider.PostgreSql, "Customer.g.cs");
        Assert.Contains("StageInsertSql", c); // database defaults under COPY go through a staging table
        var zoo = File(DbProvider.PostgreSql, "TypeZoo.g.cs", "test");
        Assert.Contains("NpgsqlDbType.Jsonb", zoo);
        Assert.Contains("(\\\"account_id\\\", \\\"group_name\\\") > ($1, $2)", Sql(File(DbProvider.PostgreSql, "Membership.g.cs", "test"), "ListAfterSql"));
    }

    [Fact]
    public void SqlServer_uses_brackets_OUTPUT_INSERTED_MERGE_TOP_and_SqlBulkCopy()
    {
        var c = File(DbProvider.SqlServer, "Customer.g.cs");
        Assert.Equal("""
            "INSERT INTO [customers] ([email], [name], [phone], [created_at]) OUTPUT INSERTED.[id], INSERTED.[created_at] VALUES (@p0, @p1, @p2, COALESCE(@p3, CURRENT_TIMESTAMP))"
            """, Sql(c, "InsertSql"));
        var upsert = Sql(c, "UpsertSql");
        Assert.StartsWith("\"SET IDENTITY_INSERT [customers] ON; MERGE INTO [customers] WITH (HOLDLOCK) AS target", upsert);
        Assert.Contains("WHEN MATCHED THEN UPDATE SET", upsert);
        Assert.Equal("\"SELECT TOP (@p0) [id], [email], [name], [phone], [created_at] FROM [customers] ORDER BY [id]\"", Sql(c, "ListSql"));
        Assert.Equal("\"SELECT COUNT_BIG(*) FROM [customers]\"", Sql(c, "CountSql"));
        Assert.Contains("DbOpsSqlServerBulkInsert<Customer> Bulk = new(\"[customers]\"", c);
        var m = File(DbProvider.SqlServer, "Membership.g.cs", "test");
        Assert.Contains("WHERE [account_id] > @p0 OR ([account_id] = @p0 AND [group_name] > @p1)", Sql(m, "ListAfterSql"));
    }

    [Fact]
    public void Finders_cover_unique_columns_unique_indexes_index_prefixes_and_foreign_keys_once()
    {
        var files = CSharpGenerator.Generate(TestSchemas.Everything(), new CodeGenOptions("X"));
        var doc = files.Single(f => f.FileName == "Document.g.cs").Content;
        Assert.Contains("GetByOwnerIdAndVersionAsync(long ownerId, int version,", doc);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(doc, @"public Task<IReadOnlyList<Document>> ListByOwnerIdAsync\("));
        foreach (var fk in new[] { "EditorId", "ReviewerId", "OwnerCode", "ParentId" }) Assert.Contains($"ListBy{fk}Async(", doc);
        var account = files.Single(f => f.FileName == "Account.g.cs").Content;
        Assert.Contains("GetByLoginAsync(string login,", account);
        Assert.Contains("GetByCodeAsync(string code,", account);
        Assert.Contains("ListByEmailAsync(string email,", account);   // filtered unique index: not unique overall
        Assert.DoesNotContain("GetByEmailAsync", account);
        var membership = files.Single(f => f.FileName == "Membership.g.cs").Content;
        Assert.Contains("ListByAccountIdAndGroupNameAsync(long accountId, string groupName,", membership); // proper key prefix
        Assert.Contains("GetAsync(long accountId, string groupName, int @event,", membership);
    }
}
