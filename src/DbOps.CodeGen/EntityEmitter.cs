using System.Globalization;
using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>Writes one entity class (properties and <c>Validate</c>) and, through <see cref="RepositoryEmitter"/>, its repository.</summary>
internal sealed class EntityEmitter
{
    private readonly SchemaModel _schema;
    private readonly EntityModel _e;
    private readonly Dialect _d;
    private readonly CodeWriter _w;
    private readonly List<ColumnModel> _cols;

    public EntityEmitter(SchemaModel schema, EntityModel entity, Dialect dialect, CodeWriter writer, string enumsClass)
    {
        _ = enumsClass; // the dialect spells enum conversions
        _schema = schema;
        _e = entity;
        _d = dialect;
        _w = writer;
        _cols = [.. entity.Columns];
    }

    /// <summary>The [GeneratedRegex] method of a <c>pattern:</c> column (underscored: never a property name).</summary>
    private static string PatternName(ColumnModel c) => "_" + Cs.Param(c.Name).TrimStart('@') + "Pattern";

    public void EmitEntity()
    {
        var w = _w;
        w.Summary(_e.Comment ?? $"A row of table {_e.Table}.");
        if (Obsolete(_e) is { } obsoleteEntity) w.Line(obsoleteEntity);
        using (w.Block($"public partial class {_e.Name}"))
        {
            foreach (var c in _cols.Where(c => c.Pattern is not null && c.Type.Kind is DbTypeKind.String or DbTypeKind.Json))
            {
                w.Line($"[GeneratedRegex({Cs.String(c.Pattern!)}, RegexOptions.CultureInvariant)]");
                w.Line($"private static partial Regex {PatternName(c)}();");
                w.Line();
            }
            foreach (var c in _cols)
            {
                var doc = c.Comment ?? $"Column {c.ColumnName} ({c.Type}{(c.Nullable ? ", nullable" : "")}{(c.Identity ? ", identity" : "")}{(_e.PrimaryKey.Contains(c.Name) ? ", primary key" : "")}).";
                if (c.DefaultSql is not null && !c.Identity)
                    doc += $" Database default {c.DefaultSql}: applies on insert while the property holds {(c.Nullable ? "null" : "its CLR default")}.";
                w.Summary(doc);
                if (c.Deprecated is { } reason)
                    w.Line(ObsoleteAttribute(reason, $"Column {_e.Name}.{c.Name} is deprecated: it stays in the database for now and is dropped in a later release."));
                var type = Cs.ClrType(c.Type, c.Nullable);
                string? init = null;
                if (c.Default is not null) init = Cs.Literal(c.Default, c.Type);
                else if (!c.Nullable && c.Type.Kind is DbTypeKind.String or DbTypeKind.Json) init = "\"\"";
                else if (!c.Nullable && c.Type.Kind is DbTypeKind.Binary) init = "global::System.Array.Empty<byte>()";
                w.Line($"public {type} {c.Name} {{ get; set; }}{(init is null ? "" : $" = {init};")}");
                w.Line();
            }
            EmitValidate();
        }
    }

    /// <summary>
    /// <c>deprecated:</c> on an entity: the <c>[Obsolete]</c> line for its type and its repository properties (null when
    /// not deprecated), so the application's call sites warn.
    /// </summary>
    internal static string? Obsolete(EntityModel e) => e.Deprecated is { } reason
        ? ObsoleteAttribute(reason, $"Entity {e.Name} is deprecated: table {e.Table} stays in the database for now and is dropped in a later release.")
        : null;

    private static string ObsoleteAttribute(string reason, string fallback) =>
        $"[global::System.Obsolete({Cs.String(reason.Length == 0 ? fallback : reason)})]";

    /// <summary>One line per rule: <c>if (broken) DbOpsValidation.Fail(...)</c>.</summary>
    private void EmitValidate()
    {
        var w = _w;
        w.Summary("Checks every rule of the schema (NOT NULL, length, minLength, min/max, pattern, enum) and returns each failure; empty when valid.");
        using (w.Block("public IReadOnlyList<DbOpsValidationFailure> Validate()"))
        {
            w.Line("List<DbOpsValidationFailure>? failures = null;");
            foreach (var c in _cols)
            {
                var p = c.Name;
                var who = $"{_e.Name}.{c.Name}";
                void Rule(string cond, string rule, string message) =>
                    w.Line($"if ({cond}) DbOpsValidation.Fail(ref failures, {Cs.String(p)}, {Cs.String(rule)}, {Cs.String(message)});");
                var isText = c.Type.Kind is DbTypeKind.String or DbTypeKind.Json;
                var isBinary = c.Type.Kind == DbTypeKind.Binary;
                if (isText || isBinary)
                {
                    if (!c.Nullable) Rule($"{p} is null", "required", $"{who} is required.");
                    var unit = isBinary ? "bytes" : "characters";
                    if (c.Type.Length is { } n) Rule($"{p} is not null && {p}.Length > {n}", "maxLength", $"{who} must be at most {n} {unit}.");
                    if (c.MinLength is { } m) Rule($"{p} is not null && {p}.Length < {m}", "minLength", $"{who} must be at least {m} {unit}.");
                    if (c.Pattern is not null && isText) Rule($"{p} is not null && !{PatternName(c)}().IsMatch({p})", "pattern", $"{who} must match the pattern {c.Pattern}.");
                }
                else if (c.Type.IsNumeric && (c.Min is not null || c.Max is not null))
                {
                    var v = c.Nullable ? $"{p}.Value" : p;
                    string Lit(decimal d) => c.Type.Kind is DbTypeKind.Float32 or DbTypeKind.Float64 ? Cs.Double((double)d) : Cs.Decimal(d);
                    var guard = c.Nullable ? $"{p}.HasValue && " : "";
                    if (c.Min is { } min) Rule($"{guard}{v} < {Lit(min)}", "min", $"{who} must be at least {min.ToString(CultureInfo.InvariantCulture)}.");
                    if (c.Max is { } max) Rule($"{guard}{v} > {Lit(max)}", "max", $"{who} must be at most {max.ToString(CultureInfo.InvariantCulture)}.");
                }
                else if (c.Type.Kind == DbTypeKind.Enum)
                {
                    var count = _schema.FindEnum(c.Type.EnumName!)?.Members.Count ?? 0;
                    Rule(c.Nullable ? $"{p}.HasValue && (uint){p}.Value >= {count}u" : $"(uint){p} >= {count}u", "enum", $"{who} is not a member of {c.Type.EnumName}.");
                }
            }
            w.Line("return DbOpsValidation.Result(failures);");
        }
    }

    public void EmitRepository() => new RepositoryEmitter(_schema, _e, _d, _w).Emit();
}
