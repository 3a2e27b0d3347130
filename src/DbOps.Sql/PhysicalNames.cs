namespace DbOps.Sql;

/// <summary>Names of the constraints this stage derives itself (primary keys, derived checks, alternate keys).</summary>
public static class PhysicalNames
{
    /// <summary>PostgreSQL's identifier limit; longer names would be silently truncated there (and could collide).</summary>
    public const int MaxLength = 63;

    /// <summary>
    /// A generated name that fits <see cref="MaxLength"/>: unchanged when short enough, else its first 54 characters,
    /// '_' and the 8-hex-digit FNV-1a hash of the whole name (the same rule the schema validator uses for
    /// <c>ux_</c>/<c>fk_</c>/<c>ck_</c> names it generates).
    /// </summary>
    public static string Shorten(string name) => DbOps.Schema.Validation.Identifiers.ShortenGenerated(name);

    /// <summary><c>pk_{table}</c>.</summary>
    public static string PrimaryKey(string table) => DbOps.Schema.Validation.Identifiers.PrimaryKeyName(table);
}
