using DbOps.Testing;
using DbOps.Engine.QueryCheck;
using DbOps.Schema.Diagnostics;
using static DbOps.Engine.Tests.QueryCheckTestUtil;

namespace DbOps.Engine.Tests;

public class SqliteQueryCheckerTests
{
    private const string SpecQueries = """
        RevenueByCustomer:
          sql: |
            SELECT c.id AS customer_id, c.name, SUM(o.total) AS revenue, COUNT(*) AS order_count
            FROM customers c JOIN orders o ON o.customer_id = c.id
            WHERE o.placed_at >= @since
            GROUP BY c.id, c.name
          params: { since: datetimeoffset }
          returns: { CustomerId: int64, Name: string, Revenue: decimal, OrderCount: int64 }
        TotalRevenue:
          sql: SELECT COALESCE(SUM(total), 0) FROM orders
          returns: decimal
        ArchiveBefore:
          sql: DELETE FROM orders WHERE placed_at < @before
          params: { before: datetimeoffset }
        """;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    [InlineData("sqlserver")]
    public void SpecQueriesPass(string provider)
    {
        var (_, ds) = Check(Shop(SpecQueries, provider));
        Assert.True(ds.Count == 0, Dump(ds));
    }

    [Fact]
    public void SpecExampleVerbatimPasses()
    {
        var (model, ds) = Check(SpecExample.Yaml);
        Assert.Equal(3, model.Queries.Count);
        Assert.True(ds.Count == 0, Dump(ds));
    }

    [Fact]
    public void SchemaWithoutQueriesGivesNothing()
    {
        var yaml = Shop("{}").Replace("queries:\n  {}", "", StringComparison.Ordinal);
        var (model, ds) = Check(yaml);
        Assert.Empty(model.Queries);
        Assert.Empty(ds);
    }

    [Fact]
    public void MisspelledColumnIsAnErrorAtTheToken()
    {
        var yaml = Shop("""
            Revenue:
              sql: |
                SELECT c.id AS customer_id, SUM(o.totl) AS revenue
                FROM customers c JOIN orders o ON o.customer_id = c.id
                GROUP BY c.id
              returns: { CustomerId: int64, Revenue: decimal }
            """);
        var (_, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5001", DiagnosticSeverity.Error, Find(yaml, "o.totl"));
        Assert.Contains("no such column: o.totl", d.Message);
        Assert.Contains("'Revenue'", d.Message);
    }

    [Fact]
    public void WithoutSourcesTheErrorIsAtTheSqlValue()
    {
        var yaml = Shop("""
            Revenue:
              sql: |
                SELECT SUM(o.totl) FROM orders o
              returns: decimal
            """);
        var (model, ds) = Check(yaml, withSources: false);
        Assert.Equal(Find(yaml, "|"), model.Queries[0].SqlLocation);
        Single(ds, "DBOPS5001", DiagnosticSeverity.Error, model.Queries[0].SqlLocation);
    }

    [Fact]
    public void ErrorOnALaterLineOfABlockScalar()
    {
        var yaml = Shop("""
            Recent:
              sql: |
                SELECT id
                FROM orders
                WHERE placed_at >= @since AND custmer_id = 1
              params: { since: datetimeoffset }
              returns: { Id: guid }
            """);
        var (_, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5001", DiagnosticSeverity.Error, Find(yaml, "custmer_id"));
        Assert.Contains("no such column: custmer_id", d.Message);
    }

    [Fact]
    public void ErrorInAPlainScalar()
    {
        var yaml = Shop("""
            Count:
              sql: SELECT COUNT(*) FROM ordrs WHERE total > 0
              returns: int64
            """);
        var (_, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5001", DiagnosticSeverity.Error, Find(yaml, "ordrs"));
        Assert.Contains("no such table: ordrs", d.Message);
    }

    [Fact]
    public void RepeatedTokenPointsAtTheRightOccurrence()
    {
        var yaml = Shop("""
            Names:
              sql: |
                SELECT c.name FROM customers c
                UNION ALL SELECT c.nme FROM customers c
              returns: { Name: string }
            """);
        var (_, ds) = Check(yaml);
        Single(ds, "DBOPS5001", DiagnosticSeverity.Error, Find(yaml, "c.nme"));
    }

    [Fact]
    public void SyntaxErrorOnSqliteIsAnError()
    {
        var yaml = Shop("""
            Broken:
              sql: SELEC id FROM orders
              returns: { Id: guid }
            """);
        var (_, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5001", DiagnosticSeverity.Error, Find(yaml, "SELEC"));
        Assert.Contains("syntax error", d.Message);
    }

    [Fact]
    public void WrongColumnCount()
    {
        var yaml = Shop("""
            Revenue:
              sql: SELECT c.id AS customer_id, c.name, c.email FROM customers c
              returns: { CustomerId: int64, Name: string }
            """);
        var (model, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5002", DiagnosticSeverity.Error, model.Queries[0].Returns!.Location);
        Assert.Contains("returns 3 columns (customer_id, name, email)", d.Message);
        Assert.Contains("declares 2 (CustomerId, Name)", d.Message);
    }

    [Fact]
    public void SelectStarCountsTheTablesColumns()
    {
        var yaml = Shop("""
            All:
              sql: SELECT * FROM customers
              returns: { Id: int64, Email: string, Name: string }
            """);
        var (_, ds) = Check(yaml);
        var d = Assert.Single(ds);
        Assert.Equal("DBOPS5002", d.Code);
        Assert.Contains("(id, email, name, phone, created_at)", d.Message);
    }

    [Fact]
    public void ScalarQueryMustReturnOneColumn()
    {
        var yaml = Shop("""
            Totals:
              sql: SELECT SUM(total), COUNT(*) FROM orders
              returns: decimal
            """);
        var (model, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5002", DiagnosticSeverity.Error, model.Queries[0].Returns!.Location);
        Assert.Contains("returns 2 columns", d.Message);
    }

    [Fact]
    public void SwappedColumnsWarn()
    {
        var yaml = Shop("""
            Revenue:
              sql: SELECT c.name, c.id AS customer_id FROM customers c
              returns: { CustomerId: int64, Name: string }
            """);
        var (model, ds) = Check(yaml);
        Assert.True(ds.Count == 2, Dump(ds));
        Assert.All(ds, d => Assert.Equal(("DBOPS5003", DiagnosticSeverity.Warning), (d.Code, d.Severity)));
        var cols = model.Queries[0].Returns!.Columns;
        Assert.Equal(cols[0].Location, ds[0].Location);
        Assert.Equal(cols[1].Location, ds[1].Location);
        Assert.Contains("result column 1 is 'name' but 'returns' declares 'CustomerId'", ds[0].Message);
        Assert.Contains("swapped", ds[0].Message);
    }

    [Fact]
    public void DifferentlyNamedColumnWarnsWithAliasAdvice()
    {
        var yaml = Shop("""
            Emails:
              sql: SELECT id, email FROM customers
              returns: { Id: int64, Address: string }
            """);
        var (_, ds) = Check(yaml);
        var d = Assert.Single(ds);
        Assert.Equal("DBOPS5003", d.Code);
        Assert.Contains("AS Address", d.Message);
    }

    [Theory]
    [InlineData("SELECT id AS ID, created_at AS \"CreatedAt\" FROM customers")]
    [InlineData("SELECT id AS Id, created_at AS CREATED_AT FROM customers")]
    [InlineData("SELECT id + 0, max(created_at) FROM customers GROUP BY id")] // expressions without an alias are not compared
    public void NamesCompareWithoutUnderscoresAndCase(string sql)
    {
        var yaml = Shop($$"""
            Rows:
              sql: '{{sql}}'
              returns: { Id: int64, CreatedAt: datetimeoffset }
            """);
        var (_, ds) = Check(yaml);
        Assert.True(ds.Count == 0, Dump(ds));
    }

    [Fact]
    public void ExactNamingMatchesPascalCaseColumns()
    {
        var yaml = Shop("""
            Rows:
              sql: SELECT "CustomerId", "Total" FROM "Order"
              returns: { CustomerId: int64, Total: decimal }
            """, naming: "exact").Replace("table: orders", "table: Order").Replace("table: customers", "table: Customer");
        var (_, ds) = Check(yaml);
        Assert.True(ds.Count == 0, Dump(ds));
    }

    [Fact]
    public void DeleteWithReturnsIsAnError()
    {
        var yaml = Shop("""
            Archive:
              sql: DELETE FROM orders WHERE placed_at < @before
              params: { before: datetimeoffset }
              returns: { Id: guid }
            """);
        var (model, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5004", DiagnosticSeverity.Error, model.Queries[0].Returns!.Location);
        Assert.Contains("returns no rows", d.Message);
    }

    [Fact]
    public void DeleteReturningWithReturnsPasses()
    {
        var yaml = Shop("""
            Archive:
              sql: DELETE FROM orders WHERE placed_at < @before RETURNING id, total
              params: { before: datetimeoffset }
              returns: { Id: guid, Total: decimal }
            """);
        var (_, ds) = Check(yaml);
        Assert.True(ds.Count == 0, Dump(ds));
    }

    [Fact]
    public void SelectWithoutReturnsWarns()
    {
        var yaml = Shop("""
            Names:
              sql: SELECT name FROM customers
            """);
        var (model, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5004", DiagnosticSeverity.Warning, model.Queries[0].SqlLocation);
        Assert.Contains("declares no 'returns'", d.Message);
    }

    [Fact]
    public void UpdateWithoutReturnsAndInsertReturningWithoutReturnsPass()
    {
        var yaml = Shop("""
            Rename:
              sql: UPDATE customers SET name = @name WHERE id = @id
              params: { id: int64, name: string }
            AddReturning:
              sql: INSERT INTO customers (email, name) VALUES (@email, @name) RETURNING id
              params: { email: string, name: string }
            """);
        var (_, ds) = Check(yaml);
        Assert.True(ds.Count == 0, Dump(ds));
    }

    [Fact]
    public void PostgreSqlSyntaxIsNotCheckedOnPostgreSql()
    {
        var yaml = Shop("""
            Revenue:
              sql: |
                SELECT c.id AS customer_id, SUM(o.total)::numeric AS revenue
                FROM customers c JOIN orders o ON o.customer_id = c.id
                GROUP BY c.id
              returns: { CustomerId: int64, Revenue: decimal }
            """, provider: "postgresql");
        var (_, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5005", DiagnosticSeverity.Warning, Find(yaml, "::numeric"));
        Assert.Contains("not checked", d.Message);
        Assert.Contains("postgresql", d.Message);
    }

    [Fact]
    public void PostgreSqlSyntaxOnSqliteIsAnError()
    {
        var yaml = Shop("""
            Revenue:
              sql: SELECT SUM(total)::numeric FROM orders
              returns: decimal
            """);
        var (_, ds) = Check(yaml);
        Single(ds, "DBOPS5001", DiagnosticSeverity.Error, Find(yaml, "::numeric"));
    }

    [Fact]
    public void OtherQueriesOfAPostgreSqlSchemaAreStillChecked()
    {
        var yaml = Shop("""
            Search:
              sql: SELECT id FROM customers WHERE name ILIKE @pattern
              params: { pattern: string }
              returns: { Id: int64 }
            Wrong:
              sql: SELECT id, name FROM customers
              returns: { Id: int64 }
            """, provider: "postgresql");
        var (_, ds) = Check(yaml);
        Assert.True(ds.Count == 2, Dump(ds));
        Assert.Equal(("DBOPS5005", DiagnosticSeverity.Warning), (ds[0].Code, ds[0].Severity));
        Assert.Equal(("DBOPS5002", DiagnosticSeverity.Error), (ds[1].Code, ds[1].Severity));
    }

    [Fact]
    public void ProviderSpecificChecksInTheSchemaDoNotStopTheCheck()
    {
        // A hand-written CHECK and index filter in PostgreSQL syntax make the SQLite create script fail; they are left out.
        var yaml = Shop("""
            Rows:
              sql: SELECT id, totl FROM orders
              returns: { Id: guid, Total: decimal }
            """, provider: "postgresql", extraOrderKeys:
            "\n      - columns: [PlacedAt]" +
            "\n        where: placed_at > '2020-01-01'::timestamptz" +
            "\n    checks:" +
            "\n      - name: ck_orders_status" +
            "\n        sql: status::text <> ''");
        var (_, ds) = Check(yaml);
        var d = Single(ds, "DBOPS5005", DiagnosticSeverity.Warning, Find(yaml, "totl"));
        Assert.Contains("no such column: totl", d.Message);
    }

    [Fact]
    public void MultipleStatementsUseTheFirstResult()
    {
        var yaml = Shop("""
            Touch:
              sql: |
                UPDATE customers SET name = name WHERE id = @id;
                SELECT changes();
              params: { id: int64 }
              returns: int64
            """);
        var (_, ds) = Check(yaml);
        Assert.True(ds.Count == 0, Dump(ds));
    }

    [Fact]
    public void ParametersGeneratedCodeNeverBindsAreErrorsOnSqlite()
    {
        var yaml = Shop("""
            ById:
              sql: SELECT name FROM customers WHERE id = :id OR id = ?
              returns: { Name: string }
            """);
        var (_, ds) = Check(yaml);
        Assert.True(ds.Count == 2, Dump(ds));
        Assert.All(ds, d => Assert.Equal(("DBOPS5007", DiagnosticSeverity.Error), (d.Code, d.Severity)));
        var c = Find(yaml, "= :id");
        Assert.Equal(c with { Column = c.Column + 2 }, ds[0].Location);
        var q = Find(yaml, "OR id = ?");
        Assert.Equal(q with { Column = q.Column + "OR id = ".Length }, ds[1].Location);
    }

    [Fact]
    public void StatementsAreOnlyPreparedNeverRun()
    {
        var file = Path.Combine(Path.GetTempPath(), $"dbops-querycheck-{Guid.NewGuid():N}.db");
        var yaml = Shop($$"""
            Attach:
              sql: ATTACH DATABASE '{{file}}' AS other
            Vacuum:
              sql: VACUUM INTO '{{file}}'
            """);
        var (_, ds) = Check(yaml);
        Assert.True(ds.Count == 0, Dump(ds));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void EveryQueryIsChecked()
    {
        var yaml = Shop("""
            A:
              sql: SELECT nope FROM customers
              returns: { Nope: string }
            B:
              sql: DELETE FROM orders
              returns: int64
            C:
              sql: SELECT id FROM orders
            """);
        var (_, ds) = Check(yaml);
        Assert.Equal(["DBOPS5001", "DBOPS5004", "DBOPS5004"], ds.Select(d => d.Code));
        Assert.Equal([true, true, false], ds.Select(d => d.IsError));
    }

    [Fact]
    public void CanonicalForm()
    {
        var yaml = Shop("""
            Count:
              sql: SELECT COUNT(*) FROM ordrs
              returns: int64
            """);
        var (_, ds) = Check(yaml);
        var at = Find(yaml, "ordrs");
        Assert.Equal($"dbops.yaml({at.Line},{at.Column}): error DBOPS5001: Query 'Count' does not compile against the schema: no such table: ordrs.",
            Assert.Single(ds).ToCanonicalString());
    }
}

public class SqliteErrorPositionTests
{
    [Fact]
    public void SqliteErrorOffsetIsUsed()
    {
        // The name also occurs earlier in a string literal; only SQLite's own error offset points at the column reference.
        var yaml = Shop("""
            Q:
              sql: SELECT 'total', total FROM customers
              returns: { A: string, B: decimal }
            """);
        var (_, ds) = Check(yaml);
        var d = Assert.Single(ds);
        Assert.Equal("DBOPS5001", d.Code);
        Assert.Equal(Find(yaml, "total FROM"), d.Location);
    }

    [Theory]
    [InlineData("SELECT x FROM t", "no such table: t", 14)]
    [InlineData("SELECT tt FROM x", "no such column: T", -1)]
    [InlineData("SELECT a.b FROM a_b, a", "no such column: a.b", 7)]
    [InlineData("SELEC 1", "near \"SELEC\": syntax error", 0)]
    [InlineData("SELECT 1", "incomplete input", -1)]
    public void GuessedOffsetFindsTheWholeName(string sql, string message, int expected) =>
        Assert.Equal(expected, SqliteQueryChecker.GuessOffset(sql, message));
}

public partial class QueryDiagnosticsDocsTests
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^\| (DBOPS5\d{3}) \| (error|warning) \|", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex DocRow();

    [Fact]
    public void DocsListEveryQueryCode()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "diagnostics.md"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var doc = File.ReadAllText(Path.Combine(dir!.FullName, "docs", "diagnostics.md"));
        var documented = DocRow().Matches(doc).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["DBOPS5001"] = "error", ["DBOPS5002"] = "error", ["DBOPS5003"] = "warning", ["DBOPS5004"] = "error",
                ["DBOPS5005"] = "warning", ["DBOPS5006"] = "warning", ["DBOPS5007"] = "error",
            },
            documented);
        var factories = typeof(QueryDiagnostics).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(Diagnostic)).ToList();
        Assert.Equal(10, factories.Count); // 5002, 5004 and 5005 have two forms each
    }
}
