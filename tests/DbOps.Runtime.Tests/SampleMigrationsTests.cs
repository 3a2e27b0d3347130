using System.Runtime.CompilerServices;
using DbOps.Runtime;
using DbOps.Testing;

namespace DbOps.Runtime.Tests;

/// <summary>The migrations the build really writes (the Shop sample's committed folders) through the runtime migrator.</summary>
public class SampleMigrationsTests
{
    private static string SampleDir(string provider, [CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "samples", "Shop", "Migrations", provider));

    private static List<DbUp.Engine.SqlScript> Load(string provider) =>
        [.. Directory.GetFiles(SampleDir(provider), "*.sql").Select(f => new DbUp.Engine.SqlScript(Path.GetFileName(f), File.ReadAllText(f)))];

    /// <summary>The journal checksum of every script is its line in dbops.sum.</summary>
    private static void AssertChecksumsMatchSum(string provider, IEnumerable<(string Name, string Checksum)> journal)
    {
        var sum = File.ReadAllLines(Path.Combine(SampleDir(provider), "dbops.sum")).Skip(1)
            .Select(l => l.Split(' ')).Where(p => p[0].EndsWith(".sql", StringComparison.Ordinal))
            .Select(p => (p[0], p[1]));
        Assert.Equal(sum, journal);
    }

    [Fact]
    public async Task Sample_sqlite_migrations_apply_and_match_dbops_sum()
    {
        Assert.True(Directory.Exists(SampleDir("sqlite")), SampleDir("sqlite"));
        using var db = new SqliteDb();
        var result = await db.MigrateAsync(Load("sqlite"));
        Assert.NotEmpty(result.AppliedScripts);
        AssertChecksumsMatchSum("sqlite", db.Journal());
        Assert.Equal(1, db.Scalar<long>("PRAGMA foreign_keys"));
        Assert.Equal(0, db.Scalar<long>("SELECT COUNT(*) FROM pragma_foreign_key_check"));
        Assert.True((await db.MigrateAsync(Load("sqlite"))).WasUpToDate);
    }

    [PostgresFact]
    public async Task Sample_postgresql_migrations_apply_and_match_dbops_sum()
    {
        Assert.True(Directory.Exists(SampleDir("postgresql")), SampleDir("postgresql"));
        using var db = new PgDb();
        var result = await db.MigrateAsync(Load("postgresql"));
        Assert.NotEmpty(result.AppliedScripts);
        AssertChecksumsMatchSum("postgresql", db.Journal());
        Assert.True((await db.MigrateAsync(Load("postgresql"))).WasUpToDate);
    }
}
