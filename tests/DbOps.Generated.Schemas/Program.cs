using DbOps.CodeGen;
using DbOps.Generated.Schemas;
using DbOps.Schema;
using DbOps.Schema.Model;
using DbOps.Sql;

// Usage: DbOps.Generated.Schemas <schema> <sqlite|postgresql|sqlserver> <outDir> <namespace>
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: DbOps.Generated.Schemas <schema> <provider> <outDir> <namespace>");
    return 2;
}
var provider = args[1] switch
{
    "sqlite" => DbProvider.Sqlite,
    "postgresql" => DbProvider.PostgreSql,
    "sqlserver" => DbProvider.SqlServer,
    var p => throw new ArgumentException($"unknown provider {p}"),
};
// A path to a .yaml file loads it through the real front end (eng/ scripts measure generated code with it).
var schema = args[0].EndsWith(".yaml", StringComparison.Ordinal) ? LoadYaml(args[0], args[1]) : TestSchemas.Get(args[0], provider);
var outDir = args[2];
Directory.CreateDirectory(outDir);
var written = new HashSet<string>(StringComparer.Ordinal);
foreach (var file in CSharpGenerator.Generate(schema, new CodeGenOptions(args[3])))
{
    WriteIfChanged(Path.Combine(outDir, file.FileName), file.Content);
    written.Add(file.FileName);
}
// VerifySchemaAsync and the compiled expected structure, as the engine writes them.
var shape = DbOps.CodeGen.Verification.SchemaShapeEmitter.Emit(schema, DbOps.Sql.LiveSchema.ExpectedShape.Build(schema, provider), new CodeGenOptions(args[3]));
WriteIfChanged(Path.Combine(outDir, shape.FileName), shape.Content);
written.Add(shape.FileName);
WriteIfChanged(Path.Combine(outDir, $"schema.{args[1]}.sql"), DdlGenerator.CreateScript(schema, provider));
foreach (var stale in Directory.GetFiles(outDir, "*.g.cs"))
    if (!written.Contains(Path.GetFileName(stale))) File.Delete(stale);
return 0;

static SchemaModel LoadYaml(string path, string provider)
{
    var result = SchemaLoader.Load([new SchemaSource(path, File.ReadAllText(path))], provider);
    foreach (var d in result.Diagnostics) Console.Error.WriteLine(d);
    return result.Model ?? throw new InvalidOperationException($"{path} has errors");
}

static void WriteIfChanged(string path, string content)
{
    if (File.Exists(path) && File.ReadAllText(path) == content) return;
    File.WriteAllText(path, content);
}
