#!/usr/bin/env bash
# Import throughput and peak memory against sqlite3's own .import of the same file (../shared/benchmarks/README.md):
# target: init + import of a 1,000,000-order canonical CSV takes at most 3x `sqlite3 NEW.db ".import --csv F orders"`,
# and peak memory stays under 300 MB. Rounds alternate the two sides so machine drift hits both; the median counts.
#   benchmarks/import-throughput.sh [ROWS] [ROUNDS]
#   IV_EXE=/path/to/imaging-value measures that CLI instead of ./imaging-value; IV_OUT=DIR puts inputs and workspaces there
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${1:-1000000}"
rounds="${2:-3}"
out="${IV_OUT:-$root/benchmarks/out/import}"   # IV_OUT: another folder for inputs and workspaces
mkdir -p "$out"

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$2" >/dev/null; }; }
need sqlite3 sqlite3
need bc bc
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null; }

# The CLI measured: IV_EXE (e.g. another build, for side-by-side.sh) or this tree's ./imaging-value (built when sources changed).
cli="${IV_EXE:-$root/imaging-value}"
"$cli" --help >/dev/null   # build once, outside the timings
csv="$out/orders-$rows.csv"
[ -f "$csv" ] || "$cli" synth orders --rows "$rows" --out "$csv" >/dev/null
echo "input: $csv ($(du -m "$csv" | cut -f1) MB, $rows orders)"
echo "machine: $(nproc) cores, $(sqlite3 --version | cut -d' ' -f1) sqlite3, $(dotnet --version) .NET SDK"

ratios=(); peaks=()
for round in $(seq 1 "$rounds"); do
  rm -rf "$out/bare.db" "$out/ws"
  t0=$(date +%s.%N)
  sqlite3 "$out/bare.db" ".import --csv $csv orders"
  t1=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/init.mem" "$cli" init --workspace "$out/ws" 2>/dev/null
  /usr/bin/time -f "%M" -o "$out/import.mem" "$cli" import --workspace "$out/ws" --orders "$csv" 2>"$out/import.log"
  t2=$(date +%s.%N)
  base=$(echo "$t1 - $t0" | bc -l); ours=$(echo "$t2 - $t1" | bc -l)
  peak=$(( $(sort -n "$out/init.mem" "$out/import.mem" | tail -n 1) / 1024 ))
  ratio=$(echo "$ours / $base" | bc -l)
  ratios+=("$ratio"); peaks+=("$peak")
  printf 'round %d: sqlite3 .import %6.2f s | imaging-value init+import %6.2f s (%.0f rows/s) | ratio %.2f | peak %d MB\n' \
    "$round" "$base" "$ours" "$(echo "$rows / $ours" | bc -l)" "$ratio" "$peak"
done
tail -n 1 "$out/import.log"

median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
maxpeak=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -n 1)
printf 'median ratio %.2f (target <= 3.00); peak memory %d MB (target < 300)\n' "$median" "$maxpeak"
ok=1
(( $(echo "$median <= 3" | bc -l) )) || ok=0
(( maxpeak < 300 )) || ok=0
rm -rf "$out/bare.db" "$out/ws"
if [ "$ok" = 1 ]; then echo "PASS"; else echo "FAIL"; exit 1; fi
