using System.Data.Common;

namespace DbOps.Runtime;

/// <summary>What a <see cref="DbOpsSchemaDifference"/> is about.</summary>
public enum DbOpsSchemaDifferenceKind
{
    /// <summary>A table exists on one side only.</summary>
    Table,
    /// <summary>A column exists on one side only.</summary>
    Column,
    /// <summary>A column's type, length or precision differs.</summary>
    ColumnType,
    /// <summary>A column is nullable on one side and NOT NULL on the other.</summary>
    ColumnNullability,
    /// <summary>A column's default differs (or exists on one side only).</summary>
    ColumnDefault,
    /// <summary>The primary key's columns differ.</summary>
    PrimaryKey,
    /// <summary>A unique constraint exists on one side only.</summary>
    Unique,
    /// <summary>An index exists on one side only, or its columns, uniqueness or filter differ.</summary>
    Index,
    /// <summary>A foreign key exists on one side only, or its delete rule differs.</summary>
    ForeignKey,
    /// <summary>A CHECK constraint exists on one side only, or its condition differs.</summary>
    Check,
}

/// <summary>One way the live database differs from the structure the migrations give it.</summary>
/// <param name="Kind">What differs.</param>
/// <param name="Table">The physical table.</param>
/// <param name="Object">The object: <c>artist</c>, <c>artist.hotfix</c>, <c>index ix_artist_name</c>, ...</param>
/// <param name="Expected">The expected side in words (<c>text</c>, <c>NOT NULL</c>), or null when it does not exist there.</param>
/// <param name="Actual">The live side in words, or null when the database does not have it.</param>
/// <param name="Message">The difference as a sentence naming both sides.</param>
/// <param name="Undo">A statement that undoes a hand-made change in the database, or null when there is none to offer
/// (SQLite cannot alter a column; a missing table comes back from its migration).</param>
public sealed record DbOpsSchemaDifference(
    DbOpsSchemaDifferenceKind Kind, string Table, string Object, string? Expected, string? Actual, string Message, string? Undo)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>The result of comparing a live database with the expected structure (<c>db.VerifySchemaAsync()</c>, <c>DbOpsVerify</c>).</summary>
public sealed class DbOpsSchemaReport
{
    /// <summary>Creates the report.</summary>
    /// <param name="expectedSource">What the database was compared with, e.g. <c>migration 0003</c>.</param>
    /// <param name="tables">How many expected tables were compared.</param>
    /// <param name="differences">Every difference, in a stable order.</param>
    public DbOpsSchemaReport(string expectedSource, int tables, IReadOnlyList<DbOpsSchemaDifference> differences)
    {
        ExpectedSource = expectedSource;
        Tables = tables;
        Differences = differences;
    }

    /// <summary>What the database was compared with.</summary>
    public string ExpectedSource { get; }

    /// <summary>How many expected tables were compared.</summary>
    public int Tables { get; }

    /// <summary>Every difference; empty when the database is in sync.</summary>
    public IReadOnlyList<DbOpsSchemaDifference> Differences { get; }

    /// <summary>True when the live structure is what <see cref="ExpectedSource"/> says.</summary>
    public bool InSync => Differences.Count == 0;

    /// <summary>One line: in sync, or how many differences (then one line per difference).</summary>
    public override string ToString() => InSync
        ? $"The database matches {ExpectedSource} ({Tables} table{(Tables == 1 ? "" : "s")})."
        : $"The database differs from {ExpectedSource} ({Differences.Count} difference{(Differences.Count == 1 ? "" : "s")}):"
          + string.Concat(Differences.Select(d => "\n- " + d.Message));
}

/// <summary>Reads a live database and compares it with an expected structure; what <c>db.VerifySchemaAsync()</c> runs.</summary>
public static class DbOpsSchemaVerifier
{
    /// <summary>
    /// Opens a connection from <paramref name="dataSource"/>, reads the catalog with the provider's
    /// <see cref="DbOpsProviderServices.SchemaReader"/> and compares it with <paramref name="expected"/>. Changes nothing;
    /// a SQLite file that does not exist is not created (every table is then missing).
    /// </summary>
    /// <exception cref="DbException">The database cannot be reached (the driver's exception, unchanged).</exception>
    public static async Task<DbOpsSchemaReport> VerifyAsync(DbDataSource dataSource, DbOpsProviderServices provider, DbOpsSchemaShape expected,
        string expectedSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(provider);
        var reader = provider.SchemaReader;
        var connection = await provider.OpenExistingAsync(dataSource, cancellationToken).ConfigureAwait(false);
        if (connection is null) return DbOpsSchemaComparer.Compare(expected, new DbOpsSchemaShape([]), expectedSource, reader);
        await using (connection.ConfigureAwait(false))
        {
            var live = await reader.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            return DbOpsSchemaComparer.Compare(expected, live, expectedSource, reader);
        }
    }
}
