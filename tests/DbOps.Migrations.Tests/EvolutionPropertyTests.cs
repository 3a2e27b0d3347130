using System.Diagnostics;
using System.Globalization;
using System.Text;
using DbOps.Schema.Model;
using DbOps.Schema.Snapshot;
using DbOps.Sql.Migrations;
using DbOps.Testing;
using Xunit.Abstractions;

namespace DbOps.Migrations.Tests;

/// <summary>
/// Random schema evolutions applied to one real database per provider, step after step: after every migration the
/// live schema equals the schema (LiveSchemaComparer) and every row and value that was kept is still there.
/// </summary>
public class EvolutionPropertyTests(ITestOutputHelper output)
{
    private const int Steps = 250;

    private sealed class Col
    {
        public required string Name;
        public required string Type;          // dbops type without '?'
        public bool Nullable;
        public string? DefaultYaml;           // default as written
        public object? DefaultValue;          // what existing rows get
        public bool DefaultSql;               // CURRENT_TIMESTAMP: any non-null value
        public string? References;            // entity name (FK to its Id)
        public string OnDelete = "noAction";
        public string? RenamedFrom;
    }

    private sealed class Ent
    {
        public required string Name;
        public string? RenamedFrom;
        public List<Col> Columns = [];
        public List<List<string>> Indexes = [];
        /// <summary>Expected rows: id → column → value (Any = some non-null value).</summary>
        public SortedDictionary<long, Dictionary<string, object?>> Rows = [];
        public long NextId = 1;
    }

    private static readonly object Any = new();

    [Fact]
    public void Random_evolutions_on_sqlite_keep_schema_and_data() => Run(DbProvider.Sqlite, seed: 20240601);

    [PostgresFact]
    public void Random_evolutions_on_postgresql_keep_schema_and_data() => Run(DbProvider.PostgreSql, seed: 20240602);

    private void Run(DbProvider provider, int seed)
    {
        var random = new Random(seed);
        var entities = new List<Ent>();
        var counter = 0;
        string Fresh(string prefix) => prefix + (++counter).ToString(CultureInfo.InvariantCulture);
        using var db = TestDb.Create(provider);
        // A database created fresh from each n-th schema: the migrated one must have the same constraint and index names.
        using var fresh = provider == DbProvider.PostgreSql ? TestDb.Create(provider) : null;
        SchemaModel? snapshot = null;
        var watch = Stopwatch.StartNew();
        var kinds = new Dictionary<string, int>();

        Col NewColumn()
        {
            var name = Fresh("C");
            return random.Next(7) switch
            {
                0 => new Col { Name = name, Type = "int32", Nullable = true },
                1 => new Col { Name = name, Type = $"string({random.Next(5, 20)})", Nullable = true },
                2 => new Col { Name = name, Type = "int64", DefaultYaml = "7", DefaultValue = 7L },
                3 => new Col { Name = name, Type = "bool", DefaultYaml = "true", DefaultValue = true },
                4 => new Col { Name = name, Type = "string(12)", DefaultYaml = "\"d'x\"", DefaultValue = "d'x" },
                5 => new Col { Name = name, Type = "datetimeoffset", DefaultSql = true, DefaultValue = Any },
                _ => entities.Count > 0
                    ? new Col { Name = name, Type = "int64", Nullable = true, References = entities[random.Next(entities.Count)].Name,
                        OnDelete = new[] { "noAction", "cascade", "setNull", "restrict" }[random.Next(4)] }
                    : new Col { Name = name, Type = "int32", Nullable = true },
            };
        }

        for (var step = 0; step < Steps;)
        {
            foreach (var e in entities) { e.RenamedFrom = null; foreach (var c in e.Columns) c.RenamedFrom = null; }
            var kind = entities.Count == 0 ? 0 : random.Next(11);
            var ent = entities.Count > 0 ? entities[random.Next(entities.Count)] : null;
            switch (kind)
            {
                case 0 when entities.Count < 5:
                {
                    var e = new Ent { Name = Fresh("E") };
                    for (var i = random.Next(0, 3); i > 0; i--) e.Columns.Add(NewColumn());
                    entities.Add(e);
                    break;
                }
                case 1 when entities.Count > 1:
                    entities.Remove(ent!);
                    foreach (var c in entities.SelectMany(x => x.Columns).Where(c => c.References == ent!.Name)) c.References = null;
                    break;
                case 2:
                {
                    var old = ent!.Name;
                    ent.Name = Fresh("E");
                    ent.RenamedFrom = old;
                    foreach (var c in entities.SelectMany(x => x.Columns).Where(c => c.References == old)) c.References = ent.Name;
                    break;
                }
                case 3 or 4 when ent!.Columns.Count < 6:
                {
                    var c = NewColumn();
                    ent.Columns.Insert(random.Next(ent.Columns.Count + 1), c);
                    foreach (var row in ent.Rows.Values) row[c.Name] = c.DefaultValue;
                    break;
                }
                case 5 when ent!.Columns.Count > 0:
                {
                    var c = ent.Columns[random.Next(ent.Columns.Count)];
                    ent.Columns.Remove(c);
                    ent.Indexes.RemoveAll(ix => ix.Contains(c.Name));
                    foreach (var row in ent.Rows.Values) row.Remove(c.Name);
                    break;
                }
                case 6 when ent!.Columns.Count > 0:
                {
                    var c = ent.Columns[random.Next(ent.Columns.Count)];
                    var old = c.Name;
                    c.Name = Fresh("C");
                    c.RenamedFrom = old;
                    foreach (var ix in ent.Indexes)
                        for (var i = 0; i < ix.Count; i++)
                            if (ix[i] == old) ix[i] = c.Name;
                    foreach (var row in ent.Rows.Values) { row[c.Name] = row[old]; row.Remove(old); }
                    break;
                }
                case 7 when ent!.Columns.Count > 0 && ent.Indexes.Count < 2:
                {
                    var cols = ent.Columns.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).Select(c => c.Name).ToList();
                    if (!ent.Indexes.Any(ix => ix.SequenceEqual(cols))) ent.Indexes.Add(cols);
                    break;
                }
                case 8 when ent!.Indexes.Count > 0:
                    ent.Indexes.RemoveAt(random.Next(ent.Indexes.Count));
                    break;
                case 9 when ent!.Columns.Any(c => c.Type.StartsWith("string(", StringComparison.Ordinal)):
                {
                    var c = ent.Columns.First(c => c.Type.StartsWith("string(", StringComparison.Ordinal));
                    var n = int.Parse(c.Type[7..^1], CultureInfo.InvariantCulture);
                    c.Type = $"string({n + 5})";
                    break;
                }
                case 10 when ent!.Columns.Count < 6 && entities.Count > 0:
                {
                    var c = new Col { Name = Fresh("C"), Type = "int64", Nullable = true, References = entities[random.Next(entities.Count)].Name, OnDelete = "setNull" };
                    ent.Columns.Add(c);
                    foreach (var row in ent.Rows.Values) row[c.Name] = null;
                    break;
                }
                default:
                    continue;
            }
            kinds[kind.ToString(CultureInfo.InvariantCulture)] = kinds.GetValueOrDefault(kind.ToString(CultureInfo.InvariantCulture)) + 1;
            step++;

            var yaml = Render(entities);
            var current = TestSchemas.Load(yaml, provider.ToString().ToLowerInvariant());
            var plan = MigrationPlanner.Plan(snapshot, current, provider);
            var script = plan.Script($"{step:D4}_step", allowedDataLoss: true);
            try
            {
                db.Apply(script);
                var diff = PlannerTests.LiveCompare(db, current);
                Assert.True(diff.Count == 0, "live schema differs: " + string.Join("; ", diff));
                Insert(db, entities, random);
                CheckRows(db, current, entities);
                if (step % NamesEvery == 0 || step == Steps)
                {
                    var names = StructureNames.Of(db);
                    var expected = FreshNames(provider, fresh, current);
                    Assert.True(names.SequenceEqual(expected), "constraint and index names differ from a fresh database: migrated has " +
                        string.Join(", ", names.Except(expected)) + "; fresh has " + string.Join(", ", expected.Except(names)));
                }
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"step {step} (kind {kind}) failed: {ex.Message}\n--- schema ---\n{yaml}\n--- script ---\n{script}");
            }
            var snapshotText = SnapshotWriter.Write(current);
            snapshot = TestSchemas.Load(snapshotText, path: "Migrations/dbops.snapshot.yaml");
            Assert.True(MigrationPlanner.Plan(snapshot, current, provider).IsEmpty, "the snapshot of a schema plans no change against it");
        }
        output.WriteLine($"{provider}: {Steps} evolutions in {watch.Elapsed.TotalSeconds:F1} s; kinds {string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}"))}");
    }

    /// <summary>How often (in steps) the names are compared with a fresh database (creating one costs more than a step).</summary>
    private const int NamesEvery = 5;

    private static IReadOnlyList<string> FreshNames(DbProvider provider, TestDb? fresh, SchemaModel schema)
    {
        var script = MigrationPlanner.Plan(null, schema, provider).Script("0001_initial", false);
        if (fresh is null)
        {
            using var sqlite = TestDb.Create(provider);
            sqlite.Apply(script);
            return StructureNames.Of(sqlite);
        }
        fresh.Execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        fresh.Apply(script);
        return StructureNames.Of(fresh);
    }

    private static string Render(List<Ent> entities)
    {
        var sb = new StringBuilder("dbops: 1\nname: Prop\nentities:\n");
        foreach (var e in entities)
        {
            sb.Append("  ").Append(e.Name).Append(":\n");
            if (e.RenamedFrom is not null) sb.Append("    renamedFrom: ").Append(e.RenamedFrom).Append('\n');
            sb.Append("    columns:\n      Id: { type: int64, primaryKey: true, identity: true }\n");
            foreach (var c in e.Columns)
            {
                sb.Append("      ").Append(c.Name).Append(": { type: ").Append(c.Type).Append(c.Nullable ? "?" : "");
                if (c.DefaultYaml is not null) sb.Append(", default: ").Append(c.DefaultYaml);
                if (c.DefaultSql) sb.Append(", defaultSql: CURRENT_TIMESTAMP");
                if (c.References is not null) sb.Append(", references: ").Append(c.References).Append(", onDelete: ").Append(c.OnDelete);
                if (c.RenamedFrom is not null) sb.Append(", renamedFrom: ").Append(c.RenamedFrom);
                sb.Append(" }\n");
            }
            if (e.Indexes.Count > 0)
            {
                sb.Append("    indexes:\n");
                foreach (var ix in e.Indexes) sb.Append("      - columns: [").Append(string.Join(", ", ix)).Append("]\n");
            }
        }
        if (entities.Count == 0) sb.Append("  {}\n");
        return sb.ToString();
    }

    private static string Table(string name) => Naming.ToSnakeCase(name);

    private static void Insert(TestDb db, List<Ent> entities, Random random)
    {
        foreach (var e in entities)
        {
            var values = new Dictionary<string, object?>();
            foreach (var c in e.Columns)
            {
                object? v = c.Type switch
                {
                    _ when c.References is not null => entities.First(x => x.Name == c.References) is var p && p.Rows.Count > 0 && random.Next(3) > 0
                        ? p.Rows.Keys.ElementAt(random.Next(p.Rows.Count)) : null,
                    "int32" => random.Next(3) == 0 ? null : (object)(long)random.Next(-1000, 1000),
                    "int64" => (long)random.Next(),
                    "bool" => random.Next(2) == 0,
                    "datetimeoffset" => Any,
                    _ when c.Type.StartsWith("string(", StringComparison.Ordinal) => c.Nullable && random.Next(3) == 0 ? null : "v" + random.Next(1000),
                    _ => null,
                };
                values[c.Name] = v;
            }
            var cols = values.Where(kv => kv.Value != Any).ToList();
            var id = e.NextId++;
            var names = string.Join(", ", new[] { "id" }.Concat(cols.Select(kv => Table(kv.Key))));
            var parameters = string.Join(", ", new[] { "@id" }.Concat(cols.Select((_, i) => "@p" + i)));
            db.Execute($"INSERT INTO {Table(e.Name)} ({names}) VALUES ({parameters})",
                [("@id", id), .. cols.Select((kv, i) => ("@p" + i, kv.Value is long l && e.Columns.First(c => c.Name == kv.Key).Type == "int32" ? (object?)(int)l : kv.Value))]);
            e.Rows[id] = values;
        }
    }

    private static void CheckRows(TestDb db, SchemaModel schema, List<Ent> entities)
    {
        foreach (var e in entities)
        {
            var columns = e.Columns.Select(c => c.Name).ToList();
            var select = string.Join(", ", new[] { "id" }.Concat(columns.Select(Table)));
            var rows = db.Rows($"SELECT {select} FROM {Table(e.Name)} ORDER BY id");
            Assert.Equal(e.Rows.Keys.ToList(), rows.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).ToList());
            var i = 0;
            foreach (var (id, expected) in e.Rows)
            {
                var row = rows[i++];
                for (var j = 0; j < columns.Count; j++)
                {
                    var want = expected[columns[j]];
                    var got = row[j + 1];
                    var ok = want switch
                    {
                        null => got is null,
                        _ when want == Any => got is not null,
                        bool b => got is not null && Convert.ToBoolean(got, CultureInfo.InvariantCulture) == b,
                        long l => got is not null && Convert.ToInt64(got, CultureInfo.InvariantCulture) == l,
                        _ => Equals(want, got),
                    };
                    Assert.True(ok, $"{e.Name}#{id}.{columns[j]}: expected {want ?? "NULL"}, got {got ?? "NULL"}");
                }
            }
        }
    }
}
