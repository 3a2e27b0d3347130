using System.Text;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace DbOps.Sql;

/// <summary>
/// The one path from two EF Core models to SQL: EF's <see cref="IMigrationsModelDiffer"/> computes the operations
/// that turn <c>source</c> into <c>target</c>, the provider's <see cref="IMigrationsSqlGenerator"/> turns them into
/// commands. A create script is the diff from the empty model (<c>source = null</c>); migrations use the same calls
/// with the snapshot's model as source.
/// </summary>
/// <remarks>
/// Traps for migrations built on this:
/// <list type="bullet">
/// <item>The differ pairs a dropped and an added column of the same shape into a rename (and likewise tables);
/// <c>renamedFrom</c> must be honoured (or such guesses undone) before generating SQL.</item>
/// <item>SQLite cannot alter most things; its generator emits table rebuilds whose commands are
/// <see cref="MigrationCommand.TransactionSuppressed"/> (PRAGMA foreign_keys) and it needs the target model.</item>
/// <item>SQLite cannot ADD COLUMN with a non-constant default (e.g. CURRENT_TIMESTAMP).</item>
/// </list>
/// </remarks>
public static class MigrationSql
{
    /// <summary>The operations that turn <paramref name="source"/> into <paramref name="target"/> (null = empty database).</summary>
    public static IReadOnlyList<MigrationOperation> Diff(IModel? source, IModel? target, DbProvider provider)
    {
        using var context = EfProviders.CreateContext(provider);
        var differ = context.GetService<IMigrationsModelDiffer>();
        var operations = differ.GetDifferences(source?.GetRelationalModel(), target?.GetRelationalModel());
        return [.. operations.Where(o => !IsColumnOrderOnly(o))];
    }

    /// <summary>
    /// Columns carry the schema's order (<c>HasColumnOrder</c>), which only matters in CREATE TABLE. When a column is
    /// inserted in the middle the differ reports the shifted columns as altered although nothing about them changed
    /// (and SQLite would rebuild the table for it): such AlterColumn operations are dropped.
    /// </summary>
    internal static bool IsColumnOrderOnly(MigrationOperation operation)
    {
        if (operation is not AlterColumnOperation alter) return false;
        ColumnOperation a = alter, b = alter.OldColumn;
        return a.ClrType == b.ClrType && a.ColumnType == b.ColumnType && a.IsUnicode == b.IsUnicode
            && a.IsFixedLength == b.IsFixedLength && a.MaxLength == b.MaxLength && a.Precision == b.Precision
            && a.Scale == b.Scale && a.IsRowVersion == b.IsRowVersion && a.IsNullable == b.IsNullable
            && ValueEquals(a.DefaultValue, b.DefaultValue) && a.DefaultValueSql == b.DefaultValueSql
            && a.ComputedColumnSql == b.ComputedColumnSql && a.IsStored == b.IsStored && a.Comment == b.Comment
            && a.Collation == b.Collation && AnnotationsEqual(a, b);
    }

    private static bool ValueEquals(object? x, object? y) =>
        x is byte[] bx && y is byte[] by ? bx.AsSpan().SequenceEqual(by) : Equals(x, y);

    private static bool AnnotationsEqual(ColumnOperation a, ColumnOperation b)
    {
        static Dictionary<string, object?> Of(ColumnOperation op) => op.GetAnnotations()
            .Where(x => x.Name != RelationalAnnotationNames.ColumnOrder)
            .ToDictionary(x => x.Name, x => x.Value);
        var (x, y) = (Of(a), Of(b));
        return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && ValueEquals(kv.Value, v));
    }

    /// <summary>
    /// Provider SQL commands for <paramref name="operations"/>. <paramref name="target"/> is the model after them
    /// (the SQLite generator needs it for table rebuilds).
    /// </summary>
    public static IReadOnlyList<MigrationCommand> Generate(IReadOnlyList<MigrationOperation> operations, IModel? target,
        DbProvider provider, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Script)
    {
        using var context = EfProviders.CreateContext(provider);
        var generator = context.GetService<IMigrationsSqlGenerator>();
        return generator.Generate(operations, target, options);
    }

    /// <summary>The commands of <paramref name="source"/> → <paramref name="target"/> (null source = create everything).</summary>
    public static IReadOnlyList<MigrationCommand> Commands(IModel? source, IModel? target, DbProvider provider) =>
        Generate(Diff(source, target, provider), target, provider);

    /// <summary>
    /// Script text of <paramref name="commands"/>: each command as the provider generated it, SQL Server batches
    /// separated by <c>GO</c> lines, line endings normalized to <c>\n</c> (same bytes on every OS).
    /// </summary>
    public static string ToScript(IEnumerable<MigrationCommand> commands, DbProvider provider)
    {
        var sb = new StringBuilder();
        foreach (var command in commands)
        {
            var text = command.CommandText.Replace("\r\n", "\n").TrimEnd('\n');
            sb.Append(text).Append('\n');
            if (provider == DbProvider.SqlServer) sb.Append("GO\n");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Script text of <paramref name="source"/> → <paramref name="target"/>.</summary>
    public static string Script(IModel? source, IModel? target, DbProvider provider) =>
        ToScript(Commands(source, target, provider), provider);
}
