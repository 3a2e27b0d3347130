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
    private readonly DbOpsRows<T> _rows;
    private readonly bool _ownsRows;
    private T? _current;
    private bool _hasRow;

    /// <summary>Reads <paramref name="rows"/> (prepared as they are reached; the caller disposes them).</summary>
    public DbOpsBulkReader(DbOpsRows<T> rows, string[] names, Func<T, int, object> getValue)
    {
        _rows = rows ?? throw new ArgumentNullException(nameof(rows));
        _names = names;
        _getValue = getValue;
    }

    /// <summary>
    /// Reads <paramref name="rows"/>; <paramref name="prepare"/> runs on each row first (validation, key generation).
    /// Once <paramref name="cancellationToken"/> is cancelled, reading the next row throws.
    /// </summary>
    public DbOpsBulkReader(IEnumerable<T> rows, string[] names, Func<T, int, object> getValue, Action<T> prepare, CancellationToken cancellationToken = default)
        : this(new DbOpsRows<T>(rows, prepare, cancellationToken), names, getValue) => _ownsRows = true;

    /// <summary>Reads <paramref name="rows"/> asynchronously.</summary>
    public DbOpsBulkReader(IAsyncEnumerable<T> rows, string[] names, Func<T, int, object> getValue, Action<T> prepare, CancellationToken cancellationToken)
        : this(new DbOpsRows<T>(rows, prepare, cancellationToken), names, getValue) => _ownsRows = true;

    /// <summary>Rows read so far.</summary>
    public long RowCount => _rows.Count;

    /// <inheritdoc />
    public override bool Read() => Advance(_rows.MoveNext());

    /// <inheritdoc />
    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Advance(await _rows.MoveNextAsync().ConfigureAwait(false));
    }

    private bool Advance(bool more)
    {
        _hasRow = more;
        _current = more ? _rows.Current : default;
        return more;
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
        if (disposing && _ownsRows) _rows.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    [SuppressMessage("Usage", "CA2215", Justification = "base disposes synchronously")]
    public override async ValueTask DisposeAsync()
    {
        if (_ownsRows) await _rows.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
