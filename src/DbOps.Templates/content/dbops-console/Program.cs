using DbOpsConsole.Data;

// The connection string: the first argument, else the DBOPS_CONNECTION_STRING environment variable, else a local file.
var connectionString = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("DBOPS_CONNECTION_STRING") ??
//#if (provider == "postgresql")
    "Host=localhost;Port=5432;Username=postgres;Database=dbopsconsole";
//#else
    "Data Source=app.db";
//#endif

await using var db = AppDb.Create(connectionString);
var migration = await db.MigrateAsync();
Console.WriteLine(migration);

var todo = await db.Todos.InsertAsync(new Todo { Title = "Try DbOps", CreatedAt = DateTimeOffset.UtcNow });
Console.WriteLine($"Added todo {todo.Id}: {todo.Title}. Open todos: {await db.OpenTodoCountAsync(false)}.");
