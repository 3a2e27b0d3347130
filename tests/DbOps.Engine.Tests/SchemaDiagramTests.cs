using System.Text.RegularExpressions;
using DbOps.Engine.Migrations;
using DbOps.Engine.Output;
using DbOps.Schema;
using DbOps.Schema.Model;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Tests;

/// <summary>The Mermaid erDiagrams of schema.md and drift.md, on the sample's schema.</summary>
public partial class SchemaDiagramTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DbOps.Build.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static string SampleYaml => File.ReadAllText(Path.Combine(RepoRoot, "samples", "Shop", "dbops.yaml"));

    private static SchemaModel Load(string yaml)
    {
        var r = SchemaLoader.Load([new SchemaSource("dbops.yaml", yaml)]);
        Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics.Select(d => d.ToCanonicalString())));
        return r.Model!;
    }

    // The erDiagram grammar this writer uses: entity blocks, attributes "type name [PK, FK, UK] "comment"", relationships.
    [GeneratedRegex(@"^(erDiagram|    [A-Za-z_][A-Za-z0-9_]* \{|        [A-Za-z_][A-Za-z0-9_]* [A-Za-z_][A-Za-z0-9_]*( (PK|FK|UK)(, (PK|FK|UK))*)? ""[^""]*""|    \}|    [A-Za-z_][A-Za-z0-9_]* (\|\||\|o)(--|\.\.)(o\{|o\|) [A-Za-z_][A-Za-z0-9_]* : ""[^""]*"")$")]
    private static partial Regex DiagramLine();

    private static List<string> DiagramLines(string markdown)
    {
        var start = markdown.IndexOf("```mermaid\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "no mermaid block in:\n" + markdown);
        var body = markdown[(start + "```mermaid\n".Length)..];
        var lines = body[..body.IndexOf("```", StringComparison.Ordinal)].TrimEnd('\n').Split('\n').ToList();
        foreach (var line in lines) Assert.Matches(DiagramLine(), line);
        return lines;
    }

    [Fact]
    public void The_sample_schema_is_drawn_with_every_entity_column_key_and_foreign_key()
    {
        var schema = Load(SampleYaml);
        var md = SchemaDiagram.Markdown(schema);
        var lines = DiagramLines(md);

        Assert.Equal("erDiagram", lines[0]);
        foreach (var e in schema.Entities)
        {
            Assert.Contains($"    {e.Name} {{", lines);
            foreach (var c in e.Columns) Assert.Contains(lines, l => l.StartsWith($"        ", StringComparison.Ordinal) && l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == c.Name);
        }
        Assert.Contains("        int64 Id PK \"int64, identity\"", lines);
        Assert.Contains("        string Email UK \"string(320)\"", lines);
        Assert.Contains("        string Phone \"string(40)?\"", lines);
        Assert.Contains("        decimal Total \"decimal(12,2)\"", lines);
        Assert.Contains("        OrderStatus Status \"OrderStatus\"", lines);
        // OrderLine's key is (OrderId, LineNo): OrderId is part of it (identifying, solid line), Sku is not (dotted).
        Assert.Contains("        guid OrderId PK, FK \"guid, -> Order.Id\"", lines);
        Assert.Contains("    Customer ||..o{ Order : \"CustomerId (on delete cascade)\"", lines);
        Assert.Contains("    Order ||--o{ OrderLine : \"OrderId (on delete cascade)\"", lines);
        Assert.Contains("    Product ||..o{ OrderLine : \"Sku\"", lines);
        Assert.Equal(3, lines.Count(l => l.Contains(" : ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_README_shows_the_diagram_of_the_sample()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md"));
        var diagram = SchemaDiagram.Mermaid(Load(SampleYaml).Entities);
        Assert.True(readme.Contains(diagram, StringComparison.Ordinal),
            "README.md does not show the current diagram of samples/Shop/dbops.yaml; paste this:\n" + diagram);
    }

    [Fact]
    public void A_nullable_or_unique_reference_has_the_matching_cardinality()
    {
        var schema = Load("""
            dbops: 1
            entities:
              User:
                columns:
                  Id: { type: int32, primaryKey: true }
              Profile:
                columns:
                  Id: { type: int32, primaryKey: true }
                  UserId: { type: int32, references: User, unique: true }
                  ReviewerId: { type: int32?, references: User, onDelete: setNull }
            """);
        var lines = DiagramLines(SchemaDiagram.Markdown(schema));
        Assert.Contains("    User ||..o| Profile : \"UserId\"", lines);
        Assert.Contains("    User |o..o{ Profile : \"ReviewerId (on delete set null)\"", lines);
    }

    [Fact]
    public void Drift_report_draws_the_changed_tables_with_their_neighbours_only()
    {
        var snapshot = Load(SampleYaml);
        // Product gets a column: drawn with OrderLine (which references it); Customer and Order are not touched.
        var current = Load(SampleYaml.Replace("      Active:    { type: bool, default: true }\n",
            "      Active:    { type: bool, default: true }\n      Weight:    float64?\n", StringComparison.Ordinal));
        var plan = MigrationPlanner.Plan(snapshot, current, current.Provider);
        Assert.Equal(["Product"], plan.Changes.Select(c => c.Entity).Distinct());

        var diagram = SchemaDiagram.Changed(current, plan.Changes.Select(c => c.Entity).OfType<string>().ToHashSet());
        Assert.NotNull(diagram);
        var md = DriftReport.Markdown(current.Name, plan.Changes, plan.Script("pending", false), initial: false, diagram);
        var lines = DiagramLines(md);
        Assert.Contains("    Product {", lines);
        Assert.Contains("        float64 Weight \"float64?\"", lines);
        Assert.Contains("    OrderLine {", lines);
        Assert.Contains("    Product ||..o{ OrderLine : \"Sku\"", lines);
        Assert.DoesNotContain("    Customer {", lines);
        Assert.DoesNotContain("    Order {", lines);
        // OrderLine's reference to Order is not drawn: Order is not in the picture.
        Assert.DoesNotContain(lines, l => l.StartsWith("    Order ", StringComparison.Ordinal));
        Assert.Contains("Changed: `Product`; drawn with the entities they reference or are referenced by: `OrderLine`.", md);
    }

    [Fact]
    public void Drift_report_names_a_dropped_table_and_draws_the_tables_that_changed_with_it()
    {
        var snapshot = Load(SampleYaml);
        // Drop Product: OrderLine loses its reference to it (its Sku column stays, without references:).
        var yaml = Regex.Replace(SampleYaml, @"  Product:\n(    .*\n|      .*\n)+?(?=  Order:)", "");
        yaml = yaml.Replace("Sku:      { type: string(32), references: Product }", "Sku:      string(32)", StringComparison.Ordinal);
        var current = Load(yaml);
        var plan = MigrationPlanner.Plan(snapshot, current, current.Provider);
        var changed = plan.Changes.Select(c => c.Entity).OfType<string>().ToHashSet();
        Assert.Contains("Product", changed);
        Assert.Contains("OrderLine", changed);

        var diagram = SchemaDiagram.Changed(current, changed)!;
        Assert.Contains("Dropped (not drawn): `Product`.", diagram);
        var lines = DiagramLines(diagram);
        Assert.Contains("    OrderLine {", lines);
        Assert.Contains("    Order {", lines);          // OrderLine references it
        Assert.DoesNotContain("    Customer {", lines);
    }
}
