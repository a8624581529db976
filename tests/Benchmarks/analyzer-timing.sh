#!/usr/bin/env bash
# Times MmuGuard's analyzers against CA2000 and IDISP001 on the generated corpus (docs/benchmarks.md, "## Analyzers").
# Usage: tests/Benchmarks/analyzer-timing.sh [CORPUS_DIR] [ROUNDS]
# Each configuration is built from scratch with an out-of-process compiler, so the CPU seconds bash's `time` reports
# are the compiler's own; the -p:ReportAnalyzer=true report of each build is kept in CORPUS_DIR/<config><round>.log.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-/tmp/mmuguard-analyzer-corpus}"
rounds="${2:-2}"
dotnet build -c Release "$repo/Analyzers/MmuGuard.Analyzers" -v:q -nologo
dotnet build -c Release "$repo/Runtime" -v:q -nologo
rm -rf "$corpus"
dotnet run -c Release --project "$repo/tests/Benchmarks" -- analyzer-corpus "$corpus" \
  "$repo/Analyzers/MmuGuard.Analyzers/bin/Release/netstandard2.0/MmuGuard.Analyzers.dll" \
  "$repo/Runtime/bin/Release/net8.0/MmuGuard.Runtime.dll"
cd "$corpus"
TIMEFORMAT='%R s wall, %U s user, %S s sys'
for round in $(seq 1 "$rounds"); do
  for config in none mmuguard ca2000 idisp all; do
    if [ "$config" = none ]; then extra=(-p:RunAnalyzers=false); else extra=(-p:Compared="$config"); fi
    dotnet restore -v:q "${extra[@]}" > /dev/null
    echo -n "$config round $round: "
    { time dotnet build -c Release --no-restore --no-incremental -nodeReuse:false -p:UseSharedCompilation=false \
        -p:ReportAnalyzer=true -v:d "${extra[@]}" > "$config$round.log" 2>&1 ; } 2>&1
  done
done
