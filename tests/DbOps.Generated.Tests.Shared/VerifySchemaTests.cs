using TestData;

namespace DbOps.Generated.Tests;

/// <summary><c>db.VerifySchemaAsync()</c>: the compiled expected structure against the real database's catalog.</summary>
public class VerifySchemaTests
{
    [Fact]
    public async Task A_database_made_by_the_create_script_is_in_sync_and_a_hand_made_column_is_reported_until_dropped()
    {
        await using var db = await TestDatabase.CreateAsync();
        var report = await db.VerifySchemaAsync();
        Assert.True(report.InSync, report.ToString());
        Assert.Equal($"The database matches the schema of TestDb ({TestDb.ExpectedSchema.Tables.Count} tables).", report.ToString());

        await TestDatabase.ScalarAsync(db, "ALTER TABLE account ADD COLUMN hotfix TEXT");
        await TestDatabase.ScalarAsync(db, "CREATE INDEX ix_hot ON account (email)");
        report = await db.VerifySchemaAsync();
        Assert.False(report.InSync);
        Assert.Equal(
            ["column account.hotfix (text) exists in the database but not in the schema of TestDb",
             "index ix_hot on account (email) exists in the database but not in the schema of TestDb"],
            report.Differences.Select(d => d.Message));
        Assert.Equal("DROP INDEX \"ix_hot\";", report.Differences[1].Undo);

        await TestDatabase.ScalarAsync(db, report.Differences[1].Undo!);
        await TestDatabase.ScalarAsync(db, report.Differences[0].Undo!);
        Assert.True((await db.VerifySchemaAsync()).InSync);
    }
}
