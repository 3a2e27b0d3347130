using DbOps.Runtime;
using DbOps.Schema.Model;

namespace DbOps.CodeGen.Verification;

/// <summary>
/// Writes <c>{Name}.Schema.g.cs</c>: the structure the schema gives the database (<see cref="DbOpsSchemaShape"/>, built by
/// the engine from the same EF Core model as the create script) as a static value, and <c>VerifySchemaAsync</c>, which
/// hands it to <c>DbOps.Runtime.DbOpsSchemaVerifier</c>. The reading and comparing live in the runtime.
/// </summary>
public static class SchemaShapeEmitter
{
    /// <summary>The generated file; deterministic, \n line endings.</summary>
    public static GeneratedFile Emit(SchemaModel schema, DbOpsSchemaShape shape, CodeGenOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        const string R = "global::DbOps.Runtime.";
        var name = schema.Name;
        var w = CodeWriter.ForFile(options.Namespace);
        w.Open($"public sealed partial class {name}");
        w.Line("/// <summary>");
        w.Line("/// The structure this application's schema gives the database: tables, columns (type, nullability, default), primary");
        w.Line("/// keys, unique constraints, indexes, foreign keys and CHECK constraints, in physical names.");
        w.Line("/// </summary>");
        w.Line($"public static {R}DbOpsSchemaShape ExpectedSchema => ExpectedSchemaHolder.Value;");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Compares the live database with <see cref=\"ExpectedSchema\"/>, reading its catalog with the provider's driver; changes");
        w.Line("/// nothing. Every table, column, key, index, foreign key and check that differs is one entry of the report, worded like");
        w.Line("/// <c>column artist.hotfix (text) exists in the database but not in the schema</c>. Fit for a startup or health check.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"cancellationToken\">Cancels the catalog queries.</param>");
        w.Line("/// <returns>The report: <see cref=\"global::DbOps.Runtime.DbOpsSchemaReport.InSync\"/>, or the differences.</returns>");
        w.Line("/// <exception cref=\"global::System.Data.Common.DbException\">The database cannot be reached.</exception>");
        w.Line($"public global::System.Threading.Tasks.Task<{R}DbOpsSchemaReport> VerifySchemaAsync(global::System.Threading.CancellationToken cancellationToken = default) =>");
        w.Line($"    {R}DbOpsSchemaVerifier.VerifyAsync(DataSource, Services, ExpectedSchema, {Cs.String($"the schema of {name}")}, cancellationToken);");
        w.Line();
        w.Open("private static class ExpectedSchemaHolder");
        w.Line($"internal static readonly {R}DbOpsSchemaShape Value = new(");
        w.Line("[");
        w.Indent();
        foreach (var t in shape.Tables)
        {
            w.Line($"new {R}DbOpsTableShape({Cs.String(t.Name)},");
            w.Indent();
            w.Line($"[{string.Join(", ", t.Columns.Select(c => $"new({Cs.String(c.Name)}, {Cs.String(c.Type)}, {Bool(c.Nullable)}, {Str(c.Default)})"))}],");
            w.Line($"{List(t.PrimaryKey)},");
            w.Line($"[{string.Join(", ", t.Uniques.Select(u => $"new({Str(u.Name)}, {List(u.Columns)})"))}],");
            w.Line($"[{string.Join(", ", t.Indexes.Select(i => $"new({Cs.String(i.Name)}, {List(i.Columns)}, {Bool(i.Unique)}, {Str(i.Filter)})"))}],");
            w.Line($"[{string.Join(", ", t.ForeignKeys.Select(f => $"new({Str(f.Name)}, {List(f.Columns)}, {Cs.String(f.PrincipalTable)}, {List(f.PrincipalColumns)}, {Cs.String(f.OnDelete)})"))}],");
            w.Line($"[{string.Join(", ", t.Checks.Select(c => $"new({Cs.String(c.Name)}, {Cs.String(c.Sql)})"))}]),");
            w.Outdent();
        }
        w.Outdent();
        w.Line("]);");
        w.Close();
        w.Close();
        return new GeneratedFile($"{name}.Schema.g.cs", w.ToString().TrimEnd('\n') + "\n");
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static string Str(string? s) => s is null ? "null" : Cs.String(s);

    private static string List(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Cs.String)) + "]";
}
