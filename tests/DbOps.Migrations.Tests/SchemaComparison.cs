using DbOps.Schema.Model;

namespace DbOps.Migrations.Tests;

/// <summary>Structural equality of two schema models (everything that reaches the database, plus validation rules).</summary>
public static class SchemaComparison
{
    public static IReadOnlyList<string> Differences(SchemaModel a, SchemaModel b)
    {
        var d = new List<string>();
        void Eq<T>(string what, T x, T y) { if (!Equals(x, y)) d.Add($"{what}: {x} != {y}"); }
        static string L(IEnumerable<string> s) => string.Join(",", s);
        Eq("name", a.Name, b.Name);
        Eq("provider", a.Provider, b.Provider);
        Eq("enums", L(a.Enums.Select(e => e.Name + "=" + L(e.Members) + "#" + e.Comment)), L(b.Enums.Select(e => e.Name + "=" + L(e.Members) + "#" + e.Comment)));
        Eq("entities", L(a.Entities.Select(e => e.Name)), L(b.Entities.Select(e => e.Name)));
        foreach (var ea in a.Entities)
        {
            if (b.FindEntity(ea.Name) is not { } eb) continue;
            var n = ea.Name;
            Eq($"{n}.table", ea.Table, eb.Table);
            Eq($"{n}.comment", ea.Comment, eb.Comment);
            Eq($"{n}.pk", L(ea.PrimaryKey), L(eb.PrimaryKey));
            Eq($"{n}.columns", L(ea.Columns.Select(c => c.Name)), L(eb.Columns.Select(c => c.Name)));
            foreach (var ca in ea.Columns)
            {
                if (eb.FindColumn(ca.Name) is not { } cb) continue;
                var cn = $"{n}.{ca.Name}";
                Eq($"{cn}.column", ca.ColumnName, cb.ColumnName);
                Eq($"{cn}.type", ca.Type, cb.Type);
                Eq($"{cn}.nullable", ca.Nullable, cb.Nullable);
                Eq($"{cn}.identity", ca.Identity, cb.Identity);
                Eq($"{cn}.unique", ca.Unique, cb.Unique);
                Eq($"{cn}.default", Show(ca.Default), Show(cb.Default));
                Eq($"{cn}.defaultSql", ca.DefaultSql, cb.DefaultSql);
                Eq($"{cn}.fk", Fk(ca.References), Fk(cb.References));
                Eq($"{cn}.minLength", ca.MinLength, cb.MinLength);
                Eq($"{cn}.min", ca.Min, cb.Min);
                Eq($"{cn}.max", ca.Max, cb.Max);
                Eq($"{cn}.pattern", ca.Pattern, cb.Pattern);
                Eq($"{cn}.comment", ca.Comment, cb.Comment);
            }
            Eq($"{n}.indexes", L(ea.Indexes.Select(Ix)), L(eb.Indexes.Select(Ix)));
            Eq($"{n}.checks", L(ea.Checks.Select(c => $"{c.Name}:{c.Sql}")), L(eb.Checks.Select(c => $"{c.Name}:{c.Sql}")));
        }
        return d;
    }

    private static string Ix(IndexModel i) => $"{i.Name}({string.Join("+", i.Columns)}){(i.Unique ? "u" : "")}{(i.FromColumn ? "c" : "")}[{i.Where}]";
    private static string? Fk(ForeignKeyModel? f) => f is null ? null : $"{f.Entity}.{f.Column}:{f.OnDelete}:{f.ConstraintName}";

    private static string? Show(object? v) => v switch
    {
        null => null,
        byte[] b => v.GetType().Name + ":" + Convert.ToBase64String(b),
        DateTime dt => "DateTime:" + dt.ToString("O") + dt.Kind,
        DateTimeOffset dto => "DateTimeOffset:" + dto.ToString("O"),
        IFormattable f => v.GetType().Name + ":" + f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.GetType().Name + ":" + v,
    };
}
