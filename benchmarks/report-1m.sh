#!/usr/bin/env bash
# `report` on a workspace of ROWS orders (default 1,000,000): screening every order, the audit, monitoring and all
# three reports. Target (QI-report issue): under 30 seconds on this machine kind. Prints the time and peak memory.
#   benchmarks/report-1m.sh [ROWS]
#   IV_EXE=/path/to/imaging-value measures that CLI instead of ./imaging-value; IV_OUT=DIR puts inputs and workspaces there
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${1:-1000000}"
out="${IV_OUT:-$root/benchmarks/out/report}"   # IV_OUT: another folder for inputs and workspaces
mkdir -p "$out"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null; }
# The CLI measured: IV_EXE (e.g. another build, for side-by-side.sh) or this tree's ./imaging-value (built when sources changed).
cli="${IV_EXE:-$root/imaging-value}"
"$cli" --help >/dev/null
csv="$out/orders-$rows.csv"
[ -f "$csv" ] || "$cli" synth orders --rows "$rows" --out "$csv" >/dev/null
if [ ! -f "$out/ws/imaging-value.db" ]; then
  "$cli" init --workspace "$out/ws" 2>/dev/null
  "$cli" import --workspace "$out/ws" --orders "$csv" 2>/dev/null
fi
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$out/report.mem" "$cli" report --workspace "$out/ws" --period 2013-01-01..2016-12-31 \
  --follow-up 2017-01-01..2017-12-31 --out "$out/reports" > "$out/report.log"
end=$(date +%s.%N)
seconds=$(echo "$end - $start" | bc -l)
printf 'report on %d orders: %.1f s (target < 30 s), peak %d MB\n' "$rows" "$seconds" "$(( $(cat "$out/report.mem") / 1024 ))"
head -n 3 "$out/report.log"
