using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>The SDK references DbOps.Extensions.Hosting (and generates services.AddShopDb) for ASP.NET Core and generic-host apps.</summary>
[Collection(SdkCollection.Name)]
public class HostingReferenceTests(SdkPackages packages)
{
    private const string Schema = """
        dbops: 1
        name: ShopDb
        namespace: App.Data
        entities:
          Customer:
            columns:
              Id:   { type: int64, primaryKey: true, identity: true }
              Name: string(100)
        """;

    private const string WebProgram = """
        using App.Data;
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddShopDb(builder.Configuration, "Default").MigrateOnStartup();
        builder.Services.AddHealthChecks().AddShopDbHealthCheck();
        var app = builder.Build();
        app.MapHealthChecks("/health");
        app.MapGet("/count", async (ShopDb db) => await db.Customers.CountAsync());
        app.Run();
        """;

    private const string HostProgram = """
        using App.Data;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddShopDb("Data Source=app.db").MigrateOnStartup();
        using var host = builder.Build();
        System.Console.WriteLine(host.Services.GetRequiredService<ShopDb>().DataSource.GetType().Name);
        """;

    private static string Project(string sdk, string provider, string extra) =>
        ThrowawayProject.ProjectXml(sdk, extra: $"<PropertyGroup><DbOpsProvider>{provider}</DbOpsProvider></PropertyGroup>{extra}");

    [Fact]
    public void A_web_project_on_postgresql_gets_the_hosting_package_and_npgsql_di()
    {
        using var project = new ThrowawayProject(packages, projectXml: Project("Microsoft.NET.Sdk.Web", "postgresql", ""), programCs: WebProgram);
        project.Write("dbops.yaml", Schema);
        var build = project.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(Path.Combine(project.GeneratedDir(), "ShopDb.Hosting.g.cs")));
        var bin = project.PathOf(Path.Combine("bin", "Debug", "net10.0"));
        Assert.True(File.Exists(Path.Combine(bin, "DbOps.Extensions.Hosting.dll")));
        Assert.True(File.Exists(Path.Combine(bin, "Npgsql.DependencyInjection.dll")));
    }

    [Fact]
    public void A_generic_host_app_gets_it_and_DbOpsAddHostingReference_false_turns_it_off()
    {
        const string Hosting = """<ItemGroup><PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.0" /></ItemGroup>""";
        using (var project = new ThrowawayProject(packages, projectXml: Project("Microsoft.NET.Sdk", "sqlite", Hosting), programCs: HostProgram))
        {
            project.Write("dbops.yaml", Schema);
            var build = project.Build();
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.True(File.Exists(Path.Combine(project.GeneratedDir(), "ShopDb.Hosting.g.cs")));
            var run = project.Dotnet(["run", "--no-build"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("SqliteDbOpsDataSource", run.StdOut.Trim());
        }
        using (var off = new ThrowawayProject(packages, projectXml: Project("Microsoft.NET.Sdk", "sqlite",
                   Hosting + "<PropertyGroup><DbOpsAddHostingReference>false</DbOpsAddHostingReference></PropertyGroup>")))
        {
            off.Write("dbops.yaml", Schema);
            var build = off.Build();
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.False(File.Exists(Path.Combine(off.GeneratedDir(), "ShopDb.Hosting.g.cs")));
            Assert.False(File.Exists(off.PathOf(Path.Combine("bin", "Debug", "net10.0", "DbOps.Extensions.Hosting.dll"))));
        }
    }
}
