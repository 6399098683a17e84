#!/usr/bin/env bash
# `screen` on workspaces of growing size (default 100,000 and 1,000,000 orders): time, CPU use and peak memory.
# Targets (clinical-text issue): screening uses both cores (CPU use near 200%) and memory stays flat (peak for the
# larger workspace close to the smaller one's, not ten times it).
#   benchmarks/screen-memory.sh [ROWS...]
#   IV_EXE=/path/to/imaging-value measures that CLI instead of ./imaging-value; IV_OUT=DIR puts inputs and workspaces there
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
out="${IV_OUT:-$root/benchmarks/out/screen}"   # IV_OUT: another folder for inputs and workspaces
mkdir -p "$out"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null; }
# The CLI measured: IV_EXE (e.g. another build, for side-by-side.sh) or this tree's ./imaging-value (built when sources changed).
cli="${IV_EXE:-$root/imaging-value}"
"$cli" --help >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for rows in "${sizes[@]}"; do
  csv="$out/orders-$rows.csv"
  ws="$out/ws-$rows"
  [ -f "$csv" ] || "$cli" synth orders --rows "$rows" --out "$csv" >/dev/null
  if [ ! -f "$ws/imaging-value.db" ]; then
    "$cli" init --workspace "$ws" 2>/dev/null
    "$cli" import --workspace "$ws" --orders "$csv" 2>/dev/null
  fi
  # %e elapsed s, %U user s, %S system s, %P CPU share, %M peak resident KB
  /usr/bin/time -f "%e %U %S %P %M" -o "$out/screen-$rows.time" "$cli" screen --workspace "$ws" --screening-log "$out/screening-$rows.csv" > "$out/screen-$rows.log"
  read -r elapsed user sys cpu mem < "$out/screen-$rows.time"
  printf 'screen %8d orders: %6.1f s, CPU %s (200%% = both cores busy), peak %d MB\n' "$rows" "$elapsed" "$cpu" "$(( mem / 1024 ))"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
