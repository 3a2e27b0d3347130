using System.Collections;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DbOps.Benchmarks.Data;

// dotnet run -c Release --project tests/DbOps.Benchmarks/<Sqlite|PostgreSql> -- --filter '*' --job short --join --exporters github
// --verify instead runs every benchmark once and prints what it returned, to check that all contestants agree.
if (args.Contains("--verify"))
{
    await DbOps.Benchmarks.Verify.RunAsync(typeof(DbOps.Benchmarks.BenchData).Assembly);
    return;
}
// In-process (InProcessEmitToolchain): the out-of-process toolchain rebuilds this project (DbOpsGenerate included)
// inside BenchmarkDotNet's build timeout, which fails on a loaded machine. The default in-process limit (5 minutes per
// benchmark case) stops the one-row-per-round-trip contestants (Dapper, 100k rows); 1 hour does not. --job and the
// class attributes apply on top of this default job, so do not pass --inProcess (it would reset the limit).
var inProcess = Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true)).AsDefault();
BenchmarkSwitcher.FromAssembly(typeof(DbOps.Benchmarks.BenchData).Assembly).Run(args, DefaultConfig.Instance.AddJob(inProcess));

namespace DbOps.Benchmarks
{
    /// <summary>Runs each benchmark method once (with its setups) and prints a digest of its result.</summary>
    internal static class Verify
    {
        public static async Task RunAsync(Assembly assembly)
        {
            foreach (var type in assembly.GetTypes().Where(t => !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)))
            {
                var instance = Activator.CreateInstance(type)!;
                await InvokeAsync(instance, type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null));
                foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
                {
                    await InvokeAsync(instance, type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<IterationSetupAttribute>() is not null));
                    var result = await InvokeAsync(instance, method);
                    Console.WriteLine($"{type.Name}.{method.Name}: {Digest(result)}");
                }
                await InvokeAsync(instance, type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<GlobalCleanupAttribute>() is not null));
            }
        }

        private static async Task<object?> InvokeAsync(object instance, MethodInfo? method)
        {
            if (method is null) return null;
            var value = method.Invoke(instance, null);
            if (value is not Task task) return value;
            await task;
            return task.GetType().GetProperty("Result")?.GetValue(task);
        }

        private static string Digest(object? result) => result switch
        {
            null => "null",
            Order o => string.Create(CultureInfo.InvariantCulture, $"Order {o.Id} customer {o.CustomerId} {o.Status} {o.Total} {o.PlacedAt:O}"),
            IEnumerable rows => DigestRows(rows.Cast<object>().ToList()),
            _ => Convert.ToString(result, CultureInfo.InvariantCulture) ?? "",
        };

        private static string DigestRows(List<object> rows)
        {
            decimal Sum(string property) => rows.Sum(r => Convert.ToDecimal(r.GetType().GetProperty(property)!.GetValue(r), CultureInfo.InvariantCulture));
            return string.Create(CultureInfo.InvariantCulture,
                $"{rows.Count} rows, sum(revenue) {Sum("Revenue")}, sum(order_count) {Sum("OrderCount")}, sum(customer_id) {Sum("CustomerId")}");
        }
    }
}
