#!/usr/bin/env bash
# Cold-build cost of DbOps.Sdk against the same model written for EF Core (issue 11), with the packed SDK
# (artifacts/packages; run eng/run-sample.sh or `dotnet pack eng/DbOps.Packages.slnf -o artifacts/packages` first):
#   - a project with a 300-entity dbops.yaml (8 columns each: identity key, a unique column, lengths, precision,
#     checks, a foreign key to the previous entity, a composite index starting with it);
#   - the same model as EF Core entity classes plus a DbContext whose OnModelCreating configures keys, lengths,
#     precision, the unique column, the index, the foreign key and the checks.
# "Cold" = after restore, with bin/ and obj/<Configuration>/ deleted. Builds alternate (DbOps, EF Core, DbOps, ...)
# so that machine noise hits both alike; prints medians, the ratio, the DbOpsGenerate target and its stages
# (DBOPS_TIMINGS=1), and the generated lines per entity.
# Usage: eng/measure-cold-build.sh [runs] [entities]      Prints markdown tables.
# DBOPS_MEASURE_DIR=DIR keeps the two projects and the build logs in DIR (for a profile or a binlog) instead of a temp folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
n="${2:-300}"
ef_version="$(sed -n 's/.*<EfCoreVersion>\([^<]*\)<.*/\1/p' "$root/Directory.Packages.props")"
version="$(sed -n 's/.*"DbOps.Sdk": *"\([^"]*\)".*/\1/p' "$root/global.json")"
work="${DBOPS_MEASURE_DIR:-$(mktemp -d)}"; mkdir -p "$work"
[ -n "${DBOPS_MEASURE_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
# A private package folder, so the freshly packed DbOps.Sdk is used (never a cached one of the same version); the
# machine's folder serves third-party packages when it holds no DbOps package that could shadow the packed one.
export NUGET_PACKAGES="$work/nuget"
fallback=""
machine="${HOME}/.nuget/packages"
if [ -d "$machine" ] && ! ls -d "$machine"/dbops.* >/dev/null 2>&1; then
  fallback="<fallbackPackageFolders><add key=\"machine\" value=\"$machine\" /></fallbackPackageFolders>"
fi
cat > "$work/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="dbops" value="$root/artifacts/packages" /></packageSources>$fallback</configuration>
XML

props='<OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings>'
mkdir -p "$work/dbops" "$work/ef"
cat > "$work/dbops/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Sdk Name="DbOps.Sdk" Version="$version" />
  <PropertyGroup>$props<DbOpsDriftCheck>off</DbOpsDriftCheck></PropertyGroup>
</Project>
XML
cat > "$work/ef/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>$props</PropertyGroup>
  <ItemGroup><PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="$ef_version" /></ItemGroup>
</Project>
XML
echo 'System.Console.WriteLine("hi");' > "$work/dbops/Program.cs"
echo 'System.Console.WriteLine(new Big.Data.BigContext().Model.GetEntityTypes().Count());' > "$work/ef/Program.cs"

# The schema.
{
  echo "dbops: 1"; echo "name: BigDb"; echo "namespace: Big.Data"; echo "provider: sqlite"; echo "entities:"
  for i in $(seq 1 "$n"); do
    echo "  Entity$i:"; echo "    columns:"
    echo "      Id: { type: int64, primaryKey: true, identity: true }"
    echo "      Code: { type: string(40), unique: true }"
    echo "      Name: { type: string(200), minLength: 1 }"
    echo "      Amount: { type: 'decimal(12,2)', min: 0 }"
    echo "      Quantity: { type: int32, min: 0 }"
    echo "      CreatedAt: datetimeoffset"
    echo "      Note: string?"
    if [ "$i" -gt 1 ]; then echo "      ParentId: { type: int64, references: Entity$((i-1)) }"; else echo "      ParentId: int64?"; fi
    echo "    indexes:"; echo "      - columns: [ParentId, CreatedAt]"
  done
} > "$work/dbops/dbops.yaml"

# The same model for EF Core.
{
  echo "using Microsoft.EntityFrameworkCore;"; echo "namespace Big.Data;"
  for i in $(seq 1 "$n"); do
    parent="long"; [ "$i" -eq 1 ] && parent="long?"
    cat <<CS
public class Entity$i
{
    public long Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public decimal Amount { get; set; }
    public int Quantity { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? Note { get; set; }
    public $parent ParentId { get; set; }
}
CS
  done
  echo "public class BigContext : DbContext"; echo "{"
  echo "    protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite(\"Data Source=big.db\");"
  for i in $(seq 1 "$n"); do echo "    public DbSet<Entity$i> Entity${i}s => Set<Entity$i>();"; done
  echo "    protected override void OnModelCreating(ModelBuilder b)"; echo "    {"
  for i in $(seq 1 "$n"); do
    t="entity$i"
    cat <<CS
        b.Entity<Entity$i>(e =>
        {
            e.ToTable("$t", t => { t.HasCheckConstraint("ck_${t}_1", "length(name) >= 1"); t.HasCheckConstraint("ck_${t}_2", "amount >= 0"); t.HasCheckConstraint("ck_${t}_3", "quantity >= 0"); });
            e.HasKey(x => x.Id).HasName("pk_$t");
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.Code).HasColumnName("code").HasMaxLength(40);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(x => x.Amount).HasColumnName("amount").HasPrecision(12, 2);
            e.Property(x => x.Quantity).HasColumnName("quantity");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.Note).HasColumnName("note");
            e.Property(x => x.ParentId).HasColumnName("parent_id");
            e.HasIndex(x => x.Code).IsUnique().HasDatabaseName("ux_${t}_code");
            e.HasIndex(x => new { x.ParentId, x.CreatedAt }).HasDatabaseName("ix_${t}_parent_id_created_at");
CS
    [ "$i" -gt 1 ] && echo "            e.HasOne<Entity$((i-1))>().WithMany().HasForeignKey(x => x.ParentId).HasConstraintName(\"fk_${t}_parent_id\");"
    echo "        });"
  done
  echo "    }"; echo "}"
} > "$work/ef/Model.cs"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
cold_build() { # dir log -> seconds
  rm -rf "$1/bin" "$1/obj/Debug"
  local s e; s=$(date +%s.%N)
  (cd "$1" && DBOPS_TIMINGS=1 dotnet build --no-restore -nologo -clp:PerformanceSummary -v:n > "$2" 2>&1) || { echo "build of $1 failed:"; tail -30 "$2"; exit 1; }
  e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN {printf "%.3f\n", b - a}'
}
for p in dbops ef; do (cd "$work/$p" && dotnet restore -v:q >/dev/null 2>&1) || { echo "restore of $p failed"; exit 1; }; done
# One warm-up each (first JIT of MSBuild and the compiler server), not counted.
cold_build "$work/dbops" "$work/warm-dbops.log" >/dev/null; cold_build "$work/ef" "$work/warm-ef.log" >/dev/null
: > "$work/times.txt"
for i in $(seq "$runs"); do
  echo "dbops $(cold_build "$work/dbops" "$work/dbops-$i.log")" >> "$work/times.txt"
  grep -E '^\s+[0-9]+ ms\s+DbOpsGenerate\s' "$work/dbops-$i.log" | awk '{print "generate", $1/1000}' | head -1 >> "$work/times.txt"
  grep -E '^\s+[0-9]+ ms\s+CoreCompile\s' "$work/dbops-$i.log" | awk '{print "csc-dbops", $1/1000}' | head -1 >> "$work/times.txt"
  grep -oE 'DbOps timing: [^(]+ [0-9]+ ms' "$work/dbops-$i.log" | sed -E 's/DbOps timing: (.*) ([0-9]+) ms/stage|\1|\2/' | tr ' ' '_' >> "$work/times.txt"
  echo "ef $(cold_build "$work/ef" "$work/ef-$i.log")" >> "$work/times.txt"
  grep -E '^\s+[0-9]+ ms\s+CoreCompile\s' "$work/ef-$i.log" | awk '{print "csc-ef", $1/1000}' | head -1 >> "$work/times.txt"
done
m() { awk -v k="$1" '$1 == k {print $2}' "$work/times.txt" | median; }
dbops=$(m dbops); ef=$(m ef)
lines=$(cat "$work"/dbops/obj/Debug/net10.0/dbops/*.g.cs | wc -l)
echo "| cold build, $n entities (median of $runs, interleaved) | seconds |"
echo "|---|---|"
echo "| DbOps.Sdk project (dbops.yaml) | $dbops |"
echo "| same model in EF Core (entities + configured DbContext) | $ef |"
echo "| **ratio DbOps / EF Core** | **$(awk -v a="$dbops" -v b="$ef" 'BEGIN {printf "%.2f", a / b}')x** |"
echo "| CoreCompile, DbOps / EF Core | $(m csc-dbops) / $(m csc-ef) |"
echo "| DbOpsGenerate target | $(m generate) |"
echo "| generated C# | $lines lines, $((lines / n)) per entity |"
echo
echo "| DbOpsGenerate stage (DBOPS_TIMINGS=1, median) | ms |"
echo "|---|---|"
grep '^stage|' "$work/times.txt" | cut -d'|' -f2 | awk '!seen[$0]++' | while read -r stage; do
  echo "| ${stage//_/ } | $(grep "^stage|$stage|" "$work/times.txt" | cut -d'|' -f3 | median) |"
done
