#!/usr/bin/env bash
# Runs the sample end to end: packs DbOps.Sdk + DbOps.Runtime from this checkout into artifacts/packages, then
# builds and runs samples/Shop against them, as a user's project would.
#   ./eng/run-sample.sh                                   SQLite (shop.db next to the sample)
#   ./eng/run-sample.sh "Host=localhost;Username=...;Database=shop"   PostgreSQL
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
feed="$root/artifacts/packages"
mkdir -p "$feed"
# DbOps.Sdk and the runtime packages it references (DbOps.Runtime and one per provider).
dotnet pack "$root/eng/DbOps.Packages.slnf" -c Release -o "$feed" -nologo -v:quiet -nodeReuse:false
# A repository-local package cache, so the sample always restores the DbOps packages just packed.
export NUGET_PACKAGES="$root/artifacts/nuget-packages"
rm -rf "$NUGET_PACKAGES"/dbops.sdk "$NUGET_PACKAGES"/dbops.runtime* "$root/samples/Shop/obj" "$root/samples/Shop/bin"
provider=sqlite
case "${1:-}" in *Host=*|*host=*) provider=postgresql ;; esac
cd "$root/samples/Shop"
MSBUILDDISABLENODEREUSE=1 dotnet run -p:DbOpsProvider=$provider -- "$@"
