// The DbOps migrator bundle (dotnet build -t:DbOpsBundle): applies, lists, verifies and prints the migrations compiled
// into it. MigratorDatabase is the project's generated database class (a global using alias from the bundle project).
using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

var connection = new Option<string?>("--connection", "-c")
{
    Description = "Connection string of the database (default: the environment variable DBOPS_CONNECTION_STRING).",
    Recursive = true,
};
var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the script to this file instead of standard output." };

var migrate = new Command("migrate", "Apply the pending migrations, each once, under the database lock.");
migrate.SetAction((parse, ct) => Run(parse, ct, async (db, _) =>
{
    var result = await db.MigrateAsync(ct);
    foreach (var script in result.AppliedScripts) Console.WriteLine($"applied {script}");
    Console.WriteLine($"{result.AppliedScripts.Count} applied, {result.AlreadyAppliedCount} already applied.");
    return 0;
}));

var pending = new Command("pending", "List the migrations that migrate would apply (exit code 0 either way).");
pending.SetAction((parse, ct) => Run(parse, ct, async (db, _) =>
{
    var names = await db.GetPendingMigrationsAsync(ct);
    foreach (var name in names) Console.WriteLine(name);
    Console.Error.WriteLine(names.Count == 0 ? "The database is up to date." : $"{names.Count} pending.");
    return 0;
}));

var verify = new Command("verify", "Check the journal and the live structure against the migrations compiled in (exit code 1 on any difference).");
verify.SetAction((parse, ct) => Run(parse, ct, async (db, _) =>
{
    var names = await db.GetPendingMigrationsAsync(ct);
    if (names.Count > 0)
    {
        Console.Error.WriteLine($"Not in sync: {names.Count} migration(s) pending: {string.Join(", ", names)}.");
        return 1;
    }
    var report = await db.VerifySchemaAsync(ct);
    Console.WriteLine(report.ToString());
    return report.InSync ? 0 : 1;
}));

var script = new Command("script", "Print the SQL that migrate would run (with a connection: the pending migrations; without: all of them).");
script.Options.Add(output);
script.SetAction(async (parse, ct) =>
{
    var connectionString = ConnectionString(parse);
    string[] names;
    if (connectionString is null) names = Migrations().ToArray();
    else
    {
        var code = 0;
        names = [];
        code = await Run(parse, ct, async (db, _) => { names = [.. await db.GetPendingMigrationsAsync(ct)]; return 0; });
        if (code != 0) return code;
    }
    var sql = string.Concat(names.Select(n => $"-- {n}\n{Read(n).TrimEnd()}\n\n"));
    var file = parse.GetValue(output);
    if (file is null) Console.Write(sql);
    else File.WriteAllText(file.FullName, sql);
    return 0;
});

var root = new RootCommand("Applies and checks the database migrations compiled into this executable (DbOps).") { migrate, pending, verify, script };
root.Options.Add(connection);
return await root.Parse(args).InvokeAsync();

string? ConnectionString(ParseResult parse)
{
    var value = parse.GetValue(connection);
    if (string.IsNullOrWhiteSpace(value)) value = Environment.GetEnvironmentVariable("DBOPS_CONNECTION_STRING");
    return string.IsNullOrWhiteSpace(value) ? null : value;
}

async Task<int> Run(ParseResult parse, CancellationToken ct, Func<MigratorDatabase, CancellationToken, Task<int>> action)
{
    var connectionString = ConnectionString(parse);
    if (connectionString is null)
    {
        Console.Error.WriteLine("error: no connection string: pass --connection \"...\" or set DBOPS_CONNECTION_STRING.");
        return 2;
    }
    try
    {
        await using var db = MigratorDatabase.Create(connectionString);
        return await action(db, ct);
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        // The message only: the connection string (and its password) is never printed.
        Console.Error.WriteLine($"error: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : "")}");
        return 1;
    }
}

static System.Collections.Generic.IEnumerable<string> Migrations() =>
    typeof(MigratorDatabase).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("DbOps.Migrations.", StringComparison.Ordinal))
        .Select(n => n["DbOps.Migrations.".Length..]).Order(StringComparer.Ordinal);

static string Read(string name)
{
    using var stream = typeof(MigratorDatabase).Assembly.GetManifestResourceStream("DbOps.Migrations." + name)
        ?? throw new InvalidOperationException($"migration {name} is not compiled in");
    using var reader = new StreamReader(stream);
    return reader.ReadToEnd();
}
