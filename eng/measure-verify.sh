#!/usr/bin/env bash
# How long `dotnet build -t:DbOpsVerify` takes on a 300-table PostgreSQL database (README "Checking a live database").
# Packs the SDK from this checkout into a temporary feed, starts a throwaway PostgreSQL server (initdb on a free loopback
# port; `pg_config --bindir` or DBOPS_PG_BINDIR), writes a 300-entity schema (columns of several types, a unique column,
# an index, a foreign key and checks per table), migrates the database with the DbOpsScript deploy script (which keeps
# the journal), then runs DbOpsVerify N times and prints, as medians: the whole command, the DbOpsVerify target
# (MSBuild's performance summary) and the engine's catalog read + comparison (its own stopwatch, in the summary line).
# Usage: eng/measure-verify.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-7}"
tables="${DBOPS_VERIFY_TABLES:-300}"
version="0.1.0-measure"
work="$(mktemp -d)"; chmod 755 "$work" # the server runs as postgres
bindir="${DBOPS_PG_BINDIR:-$(pg_config --bindir)}"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_pg "$bindir/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

echo "packing the SDK..." >&2
dotnet pack "$root/eng/DbOps.Packages.slnf" -c Release -o "$work/feed" -nodeReuse:false -p:DbOpsVersion="$version" -v:q -nologo >/dev/null

echo "starting PostgreSQL..." >&2
mkdir -p "$work/pg"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$work/pg"
as_pg "$bindir/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --no-sync --locale=C >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$bindir/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
"$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE big" >/dev/null

app="$work/app"; mkdir -p "$app"
export NUGET_PACKAGES="$work/nuget"
cat > "$app/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="dbops" value="$work/feed" /></packageSources></configuration>
XML
cat > "$app/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Sdk Name="DbOps.Sdk" Version="$version" />
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
</Project>
XML
echo 'System.Console.WriteLine("hi");' > "$app/Program.cs"
{
  echo "dbops: 1"; echo "name: BigDb"; echo "provider: postgresql"; echo "entities:"
  for i in $(seq 1 "$tables"); do
    echo "  Entity$i:"; echo "    columns:"
    echo "      Id: { type: int64, primaryKey: true, identity: true }"
    echo "      Code: { type: string(40), unique: true }"
    echo "      Name: { type: string(200), minLength: 1 }"
    echo "      Amount: { type: 'decimal(12,2)', min: 0, default: 0 }"
    echo "      Active: { type: bool, default: true }"
    echo "      CreatedAt: { type: datetimeoffset, defaultSql: CURRENT_TIMESTAMP }"
    echo "      Note: string?"
    if [ "$i" -gt 1 ]; then echo "      ParentId: { type: int64?, references: Entity$((i-1)), onDelete: setNull }"; echo "    indexes:"; echo "      - columns: [ParentId]"; fi
  done
} > "$app/dbops.yaml"
cs="Host=127.0.0.1;Port=$port;Username=postgres;Database=big"
(cd "$app" && dotnet build -nodeReuse:false -t:DbOpsAddMigration -p:DbOpsMigrationName=Initial -v:q -nologo >/dev/null)
(cd "$app" && dotnet build -nodeReuse:false -t:DbOpsScript -p:DbOpsScriptPath=deploy.sql -v:q -nologo >/dev/null)
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d big -f "$app/deploy.sql" >/dev/null
count=$("$bindir/psql" -X -At -h 127.0.0.1 -p "$port" -U postgres -d big -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'dbops%'")
echo "database: $count tables" >&2

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
export DBOPS_CONNECTION_STRING="$cs"
(cd "$app" && dotnet build -nodeReuse:false -t:DbOpsVerify -v:q -nologo >/dev/null) # warm-up (restore, first JIT of MSBuild)
for i in $(seq "$runs"); do
  s=$(date +%s.%N)
  (cd "$app" && dotnet build --no-restore -nodeReuse:false -t:DbOpsVerify -nologo -clp:PerformanceSummary -v:n > "$work/verify.log" 2>&1) || { cat "$work/verify.log"; exit 1; }
  e=$(date +%s.%N)
  whole=$(awk -v a="$s" -v b="$e" 'BEGIN {printf "%.3f", b - a}')
  target=$(grep -E '^\s+[0-9]+ ms\s+DbOpsVerify\s' "$work/verify.log" | awk '{printf "%.3f\n", $1/1000}' | head -1)
  engine=$(sed -n 's/.*DbOps: the database matches .*; \([0-9.]*\) s).*/\1/p' "$work/verify.log" | head -1)
  echo "$whole $target $engine"
done > "$work/runs.txt"
echo "| measurement ($count tables, median of $runs) | seconds |"
echo "|---|---|"
echo "| \`dotnet build -t:DbOpsVerify\` (whole command) | $(awk '{print $1}' "$work/runs.txt" | median) |"
echo "| the DbOpsVerify target (engine process: load schema and snapshot, connect, read catalog, compare, write report) | $(awk '{print $2}' "$work/runs.txt" | median) |"
echo "| of which connect + catalog read + comparison | $(awk '{print $3}' "$work/runs.txt" | median) |"
echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
