#!/usr/bin/env bash
# Build-time cost of DbOps.Sdk, measured on real projects with the packed SDK (artifacts/packages; run
# eng/run-sample.sh or `dotnet pack` first):
#   1. no-op incremental `dotnet build` of a small project, with and without the SDK (median of N runs);
#   2. a cold build of a 300-entity schema (first build: engine + generation + drift check), and the engine's
#      share of it (the DbOpsGenerate target's time from the performance summary).
# Usage: eng/measure-build.sh [runs]      Prints a markdown table.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-7}"
sqlite_version="$(sed -n 's/.*<EfCoreVersion>\([^<]*\)<.*/\1/p' "$root/Directory.Packages.props")"
dbup_sqlite_version="$(sed -n 's/.*Include="dbup-sqlite" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")"
version="$(sed -n 's/.*"DbOps.Sdk": *"\([^"]*\)".*/\1/p' "$root/global.json")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/nuget"
cat > "$work/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="dbops" value="$root/artifacts/packages" /></packageSources></configuration>
XML

make_project() { # dir, sdk(yes/no/driver), schema file
  mkdir -p "$1"
  local sdk=""; [ "$2" = yes ] && sdk="<Sdk Name=\"DbOps.Sdk\" Version=\"$version\" />"
  # The same app written without DbOps still needs its database driver (and DbUp to migrate).
  [ "$2" = driver ] && sdk="<ItemGroup><PackageReference Include=\"Microsoft.Data.Sqlite\" Version=\"$sqlite_version\" /><PackageReference Include=\"dbup-sqlite\" Version=\"$dbup_sqlite_version\" /></ItemGroup>"
  cat > "$1/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  $sdk
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><DbOpsDriftCheck>warning</DbOpsDriftCheck></PropertyGroup>
</Project>
XML
  echo 'System.Console.WriteLine("hi");' > "$1/Program.cs"
  [ -n "${3:-}" ] && cp "$3" "$1/dbops.yaml"
  return 0
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_build() { # dir -> seconds
  local s e; s=$(date +%s.%N); (cd "$1" && dotnet build -v:q -nologo >/dev/null 2>&1); e=$(date +%s.%N)
  awk -v a="$s" -v b="$e" 'BEGIN {printf "%.3f\n", b - a}'
}

# Sample-sized schema: the repository's sample.
make_project "$work/plain" no
make_project "$work/driver" driver
make_project "$work/dbops" yes "$root/samples/Shop/dbops.yaml"
for p in plain driver dbops; do (cd "$work/$p" && dotnet build -v:q -nologo >/dev/null 2>&1) || { echo "build of $p failed"; exit 1; }; done
# Interleaved, so that machine noise hits both alike.
for i in $(seq "$runs"); do
  echo "plain $(time_build "$work/plain")"
  echo "driver $(time_build "$work/driver")"
  echo "dbops $(time_build "$work/dbops")"
done > "$work/noop.txt"
plain=$(awk '$1 == "plain" {print $2}' "$work/noop.txt" | median)
driver=$(awk '$1 == "driver" {print $2}' "$work/noop.txt" | median)
dbops=$(awk '$1 == "dbops" {print $2}' "$work/noop.txt" | median)

# 300 entities, each with a few columns, an index and a foreign key to the previous one.
big="$work/big.yaml"
{
  echo "dbops: 1"; echo "name: BigDb"; echo "entities:"
  for i in $(seq 1 300); do
    echo "  Entity$i:"; echo "    columns:"
    echo "      Id: { type: int64, primaryKey: true, identity: true }"
    echo "      Name: { type: string(200), minLength: 1 }"
    echo "      Amount: { type: 'decimal(12,2)', min: 0 }"
    echo "      CreatedAt: datetimeoffset"
    echo "      Note: string?"
    if [ "$i" -gt 1 ]; then echo "      ParentId: { type: int64, references: Entity$((i-1)) }"; echo "    indexes:"; echo "      - columns: [ParentId]"; fi
  done
} > "$big"
make_project "$work/big" yes "$big"
make_project "$work/big-plain" no
(cd "$work/big-plain" && dotnet restore -v:q >/dev/null 2>&1 && dotnet build -v:q -nologo >/dev/null 2>&1)
(cd "$work/big" && dotnet restore -v:q >/dev/null 2>&1)
s=$(date +%s.%N); (cd "$work/big" && dotnet build --no-restore -nologo -clp:PerformanceSummary -v:n > "$work/big.log" 2>&1); e=$(date +%s.%N)
bigcold=$(awk -v a="$s" -v b="$e" 'BEGIN {printf "%.3f\n", b - a}')
engine=$(grep -E '^\s+[0-9]+ ms\s+DbOpsGenerate\s' "$work/big.log" | awk '{print $1/1000}' | head -1)
rm -rf "$work/big-plain/obj/Debug" "$work/big-plain/bin"
s=$(date +%s.%N); (cd "$work/big-plain" && dotnet build --no-restore -nologo -v:q >/dev/null 2>&1); e=$(date +%s.%N)
plaincold=$(awk -v a="$s" -v b="$e" 'BEGIN {printf "%.3f\n", b - a}')

echo "| measurement | seconds |"
echo "|---|---|"
echo "| no-op build, project without DbOps (median of $runs) | $plain |"
echo "| no-op build, same project with DbOps.Sdk + the sample schema (median of $runs) | $dbops |"
echo "| no-op build, project referencing Microsoft.Data.Sqlite + dbup-sqlite, no DbOps (median of $runs) | $driver |"
echo "| ratio DbOps / empty project | $(awk -v a="$dbops" -v b="$plain" 'BEGIN {printf "%.3f", a / b}') |"
echo "| ratio DbOps / project with the driver | $(awk -v a="$dbops" -v b="$driver" 'BEGIN {printf "%.3f", a / b}') |"
echo "| cold build (after restore), 300-entity schema | $bigcold |"
echo "| cold build (after restore), same project without DbOps | $plaincold |"
echo "| of which the DbOpsGenerate target (engine: parse, validate, C#, DDL, drift) | ${engine:-n/a} |"
