using System.Collections;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace DbOps.Runtime;

/// <summary>
/// A forward-only <see cref="DbDataReader"/> over entities, so SqlBulkCopy can stream any <see cref="IEnumerable{T}"/>
/// or <see cref="IAsyncEnumerable{T}"/> without buffering. Values come from a generated switch on the ordinal.
/// </summary>
public sealed class DbOpsBulkReader<T> : DbDataReader
{
    private readonly string[] _names;
    private readonly Func<T, int, object> _getValue;
    private readonly Action<T> _prepare;
    private readonly IEnumerator<T>? _enumerator;
    private readonly IAsyncEnumerator<T>? _asyncEnumerator;
    private readonly CancellationToken _cancellationToken;
    private T? _current;
    private bool _hasRow;

    /// <summary>
    /// Reads <paramref name="rows"/>; <paramref name="prepare"/> runs on each row first (validation, key generation).
    /// Once <paramref name="cancellationToken"/> is cancelled, reading the next row throws.
    /// </summary>
    public DbOpsBulkReader(IEnumerable<T> rows, string[] names, Func<T, int, object> getValue, Action<T> prepare, CancellationToken cancellationToken = default)
    {
        _cancellationToken = cancellationToken;
        _enumerator = rows.GetEnumerator();
        _names = names;
        _getValue = getValue;
        _prepare = prepare;
    }

    /// <summary>Reads <paramref name="rows"/> asynchronously.</summary>
    public DbOpsBulkReader(IAsyncEnumerable<T> rows, string[] names, Func<T, int, object> getValue, Action<T> prepare, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        _asyncEnumerator = rows.GetAsyncEnumerator(cancellationToken);
        _names = names;
        _getValue = getValue;
        _prepare = prepare;
    }

    /// <summary>Rows read so far.</summary>
    public long RowCount { get; private set; }

    /// <inheritdoc />
    public override bool Read()
    {
        if (_enumerator is null) return ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
        _cancellationToken.ThrowIfCancellationRequested();
        return Advance(_enumerator.MoveNext(), _enumerator.Current);
    }

    /// <inheritdoc />
    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_asyncEnumerator is null) return Read();
        _cancellationToken.ThrowIfCancellationRequested();
        cancellationToken.ThrowIfCancellationRequested();
        var more = await _asyncEnumerator.MoveNextAsync().ConfigureAwait(false);
        return Advance(more, more ? _asyncEnumerator.Current : default);
    }

    private bool Advance(bool more, T? current)
    {
        _hasRow = more;
        _current = current;
        if (!more) return false;
        _prepare(current!);
        RowCount++;
        return true;
    }

    /// <inheritdoc />
    public override object GetValue(int ordinal) => _hasRow ? _getValue(_current!, ordinal) : throw new InvalidOperationException("No current row.");
    /// <inheritdoc />
    public override int FieldCount => _names.Length;
    /// <inheritdoc />
    public override string GetName(int ordinal) => _names[ordinal];
    /// <inheritdoc />
    public override int GetOrdinal(string name) => Array.IndexOf(_names, name);
    /// <inheritdoc />
    public override bool IsDBNull(int ordinal) => GetValue(ordinal) is DBNull;
    /// <inheritdoc />
    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, _names.Length);
        for (var i = 0; i < n; i++) values[i] = GetValue(i);
        return n;
    }
    /// <inheritdoc />
    public override object this[int ordinal] => GetValue(ordinal);
    /// <inheritdoc />
    public override object this[string name] => GetValue(GetOrdinal(name));
    /// <inheritdoc />
    public override int Depth => 0;
    /// <inheritdoc />
    public override bool HasRows => true;
    /// <inheritdoc />
    public override bool IsClosed => false;
    /// <inheritdoc />
    public override int RecordsAffected => -1;
    /// <inheritdoc />
    public override bool NextResult() => false;
    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => throw new NotSupportedException();
    /// <inheritdoc />
    public override Type GetFieldType(int ordinal) => typeof(object);
    /// <inheritdoc />
    public override string GetDataTypeName(int ordinal) => "object";
    /// <inheritdoc />
    public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);
    /// <inheritdoc />
    public override byte GetByte(int ordinal) => (byte)GetValue(ordinal);
    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
    /// <inheritdoc />
    public override char GetChar(int ordinal) => (char)GetValue(ordinal);
    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
    /// <inheritdoc />
    public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);
    /// <inheritdoc />
    public override decimal GetDecimal(int ordinal) => (decimal)GetValue(ordinal);
    /// <inheritdoc />
    public override double GetDouble(int ordinal) => (double)GetValue(ordinal);
    /// <inheritdoc />
    public override float GetFloat(int ordinal) => (float)GetValue(ordinal);
    /// <inheritdoc />
    public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);
    /// <inheritdoc />
    public override short GetInt16(int ordinal) => (short)GetValue(ordinal);
    /// <inheritdoc />
    public override int GetInt32(int ordinal) => (int)GetValue(ordinal);
    /// <inheritdoc />
    public override long GetInt64(int ordinal) => (long)GetValue(ordinal);
    /// <inheritdoc />
    public override string GetString(int ordinal) => (string)GetValue(ordinal);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _enumerator?.Dispose();
            _asyncEnumerator?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    [SuppressMessage("Usage", "CA2215", Justification = "base disposes synchronously")]
    public override async ValueTask DisposeAsync()
    {
        _enumerator?.Dispose();
        if (_asyncEnumerator is not null) await _asyncEnumerator.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
