#!/usr/bin/env bash
# Paired timing of MmuGuard's analyzers against the no-analyzer build and CA2000 on the generated corpus
# (docs/benchmarks.md, "## Analyzers"), and of the generator's first run against its floor.
#
# Usage: tests/Benchmarks/analyzer-timing.sh [CORPUS_DIR] [RUNS] [DENSITY] [CONFIG...]
#   RUNS     rounds; every round builds every CONFIG once, interleaved (A B C A B C ...); 5 or more for figures
#   DENSITY  dense (default: about seven methods in ten touch a contract) or a percentage, 5 for the sparse corpus
#   CONFIG   none (-p:RunAnalyzers=false, the baseline) mmuguard ca2000 idisp all before; default: none mmuguard ca2000
#            `before` loads BEFORE_ANALYZERS=path/to/another/MmuGuard.Analyzers.dll, to compare two versions.
#            floor-load floor-blocks floor-bind load tests/FloorAnalyzers built three ways: an analyzer that registers
#            nothing, one whose code-block action returns at once, one that binds every body and builds its graph.
#            sdk sdk-mmuguard: what a new project builds with (the SDK's analyzers at their default severities), without
#            and with MmuGuard: MmuGuard's cost on top of the analyzers every default build already runs.
# Environment: FILES=N writes N corpus parts (default 480, about 207k lines); GENERATOR=0 skips the generator part;
# SKIP_SETUP=1 reuses CORPUS_DIR as it is; SERVER=1 measures warm builds through the compiler server instead
# (WARMUP=N unmeasured rounds first, default 3); REPORT=0 builds without -p:ReportAnalyzer=true (no per-callback
# timing in the driver; the logs then have the findings but no per-analyzer table).
#
# Each build is from scratch with an out-of-process compiler, so the CPU seconds bash's `time` reports (user + sys)
# are the compiler's own: a cold compiler, which loads and JIT-compiles every analyzer again in every build. With
# SERVER=1 each build goes through the compiler server (VBCSCompiler, what `dotnet build` and the IDE's builds use by
# default), after one unmeasured warm-up round of every CONFIG: analyzers stay loaded and JIT-compiled between builds,
# and a build's CPU is the build's own plus what the server spent during it (read from /proc). Nothing else may build
# on the machine meanwhile, since the server is shared. The -p:ReportAnalyzer=true report of each build is kept in CORPUS_DIR/<config><round>.log.
# Prints the median of every configuration, its ratio to `none`, MmuGuard's overhead over `none` against CA2000's,
# and the findings of each analyzer set.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-/tmp/mmuguard-analyzer-corpus}"
rounds="${2:-5}"
density="${3:-dense}"
shift $(( $# < 3 ? $# : 3 ))
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(none mmuguard ca2000)

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  dotnet build -c Release "$repo/Analyzers/MmuGuard.Analyzers" -v:q -nologo
  dotnet build -c Release "$repo/Runtime" -v:q -nologo
  dotnet build -c Release "$repo/tests/Benchmarks" -v:q -nologo
  rm -rf "$corpus"
  dotnet "$repo/tests/Benchmarks/bin/Release/net10.0/MmuGuard.Benchmarks.dll" analyzer-corpus "$corpus" \
    "$repo/Analyzers/MmuGuard.Analyzers/bin/Release/netstandard2.0/MmuGuard.Analyzers.dll" \
    "$repo/Runtime/bin/Release/net8.0/MmuGuard.Runtime.dll" "${FILES:-480}" "$density"
fi

for config in "${configs[@]}"; do
  case "$config" in
    floor-*)
      kind="${config#floor-}"
      [ -f "$corpus/floor/$kind/MmuGuard.FloorAnalyzers.dll" ] ||
        dotnet build -c Release "$repo/tests/FloorAnalyzers" -v:q -nologo -p:FloorKind="$kind" -o "$corpus/floor/$kind" > /dev/null ;;
  esac
done

server=-p:UseSharedCompilation=false
report=true
[ "${REPORT:-1}" = 0 ] && report=false
first_round=1
if [ "${SERVER:-0}" = 1 ]; then
  server=-p:UseSharedCompilation=true
  first_round=$(( 1 - ${WARMUP:-3} ))
  dotnet build-server shutdown > /dev/null 2>&1 || true
fi

# CPU seconds (user + sys) spent so far by every running compiler server process.
server_cpu() {
  local ticks=0 pid
  for pid in $(pgrep -f VBCSCompiler || true); do
    [ -r "/proc/$pid/stat" ] || continue
    ticks=$(( ticks + $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat") ))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

cd "$corpus"
results="$corpus/times.tsv"
: > "$results"
echo "load average before: $(uptime | sed 's/.*load average: //')"
TIMEFORMAT='%R %U %S'
for round in $(seq "$first_round" "$rounds"); do
  for config in "${configs[@]}"; do
    case "$config" in
      none) extra=(-p:RunAnalyzers=false) ;;
      before) extra=(-p:Compared=before "-p:BeforeAnalyzers=${BEFORE_ANALYZERS:?set BEFORE_ANALYZERS}") ;;
      floor-*) extra=(-p:Compared=before "-p:BeforeAnalyzers=$corpus/floor/${config#floor-}/MmuGuard.FloorAnalyzers.dll") ;;
      *) extra=(-p:Compared="$config") ;;
    esac
    dotnet restore -v:q "${extra[@]}" > /dev/null
    server_before=$(server_cpu)
    times=$( { time dotnet build -c Release --no-restore --no-incremental -nodeReuse:false "$server" \
        "-p:ReportAnalyzer=$report" -v:d "${extra[@]}" > "$config$round.log" 2>&1 ; } 2>&1 )
    read -r wall user sys <<< "$times"
    in_server=$(awk -v a="$server_before" -v b="$(server_cpu)" 'BEGIN { printf "%.2f", b - a }')
    if [ "$round" -le 0 ]; then
      echo "warm-up $config: $wall s wall"
      continue
    fi
    # The server's share counts as user time (the split between user and sys is the build's own).
    user=$(awk -v u="$user" -v s="$in_server" 'BEGIN { printf "%.3f", u + s }')
    printf '%s\t%s\t%s\t%s\t%s\n' "$config" "$round" "$wall" "$user" "$sys" >> "$results"
    echo "round $round $config: $wall s wall, $user s user (server $in_server s), $sys s sys (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
echo "load average after: $(uptime | sed 's/.*load average: //')"
if [ "${SERVER:-0}" = 1 ]; then dotnet build-server shutdown > /dev/null 2>&1 || true; fi

# Medians (CPU = user + sys) and ratios.
awk -F'\t' '
  function median(list,    n, i, j, t, a) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { cpu[$1] = cpu[$1] " " ($4 + $5); wall[$1] = wall[$1] " " $3; if (!($1 in seen)) { seen[$1] = 1; order[++count] = $1 } }
  END {
    for (i = 1; i <= count; i++) { c = order[i]; mc[c] = median(cpu[c]); mw[c] = median(wall[c]) }
    printf "%-10s %12s %12s %14s\n", "config", "CPU s (med)", "wall s (med)", "CPU / none"
    for (i = 1; i <= count; i++) {
      c = order[i]
      printf "%-10s %12.2f %12.2f %14s\n", c, mc[c], mw[c], ("none" in mc) ? sprintf("%.3fx", mc[c] / mc["none"]) : "-"
    }
    if (("sdk" in mc) && ("sdk-mmuguard" in mc)) {
      printf "MmuGuard on top of the SDK default analyzers: %.2f s CPU, %.3fx the default build\n", mc["sdk-mmuguard"] - mc["sdk"], mc["sdk-mmuguard"] / mc["sdk"]
    }
    if (("none" in mc) && ("mmuguard" in mc) && ("ca2000" in mc)) {
      over = mc["mmuguard"] - mc["none"]; ca = mc["ca2000"] - mc["none"]
      printf "MmuGuard overhead %.2f s CPU against CA2000 overhead %.2f s: %.2fx of CA2000s\n", over, ca, (ca != 0 ? over / ca : 0)
    }
  }' "$results"

for config in "${configs[@]}"; do
  [ "$config" = none ] && continue
  echo "findings ($config, round $rounds):"
  grep -E "warning (MMU[0-9]+|CA[0-9]+|IDISP[0-9]+):" "$config$rounds.log" | sed -E 's/^[ 0-9>]*//' | sort -u \
    | grep -oE "warning (MMU[0-9]+|CA[0-9]+|IDISP[0-9]+)" | sort | uniq -c || true
done

if [ "${GENERATOR:-1}" != 0 ]; then
  dotnet "$repo/tests/Benchmarks/bin/Release/net10.0/MmuGuard.Benchmarks.dll" generator-timing "$rounds"
fi
