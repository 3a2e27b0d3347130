using DbOps.Runtime;
using DbOpsWebApi.Data;

var builder = WebApplication.CreateBuilder(args);

// The database from ConnectionStrings:Default, migrated before the app serves requests, and its health check.
builder.Services.AddAppDb(builder.Configuration, "Default").MigrateOnStartup();
builder.Services.AddHealthChecks().AddAppDbHealthCheck();

var app = builder.Build();

app.MapHealthChecks("/health");

app.MapGet("/todos", async (AppDb db, CancellationToken ct) => await db.Todos.ListAsync(limit: 100, cancellationToken: ct));

app.MapGet("/todos/{id:long}", async (long id, AppDb db, CancellationToken ct) =>
    await db.Todos.GetAsync(id, ct) is { } todo ? Results.Ok(todo) : Results.NotFound());

app.MapPost("/todos", async (Todo todo, AppDb db, CancellationToken ct) =>
{
    todo.CreatedAt = DateTimeOffset.UtcNow;
    try
    {
        var saved = await db.Todos.InsertAsync(todo, ct);
        return Results.Created($"/todos/{saved.Id}", saved);
    }
    catch (DbOpsValidationException ex)
    {
        return Results.ValidationProblem(ex.Failures.GroupBy(f => f.Member).ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray()));
    }
});

app.MapGet("/todos/open", async (AppDb db, CancellationToken ct) => new { open = await db.OpenTodoCountAsync(false, ct) });

app.Run();
