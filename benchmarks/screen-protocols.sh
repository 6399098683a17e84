#!/usr/bin/env bash
# Several protocols in one screening pass (issue 17, item 6): `screen` of the same workspace against the sacrum
# protocol alone and against a list of protocols, each on a fresh copy of one imported workspace, interleaved
# (alone, all, alone, all, ...) in the same run. Prints each run's time, CPU seconds (user + system), CPU share and
# peak memory, then the medians and their ratios against the target (all / alone at most 1.5, on elapsed time; exit 1
# when over). On a machine shared with other work the CPU seconds are the steadier figure: elapsed time then also
# measures waiting for a core.
#   benchmarks/screen-protocols.sh [PROTOCOLS]
#   PROTOCOLS  comma-separated ids or YAML files (default: every built-in protocol; with fewer than three built in,
#              a site copy of lumbar-imaging-lbp under another id makes the third, so that three are screened)
#   ROWS=1000000   orders (`synth orders`), ROUNDS=2 rounds, IV_EXE=/path measures that CLI, IV_OUT=DIR for inputs,
#   ORDERS=FILE    screen these orders instead (for example benchmarks/orders-imaging-mix.py's health-system mix)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${ROWS:-1000000}"
rounds="${ROUNDS:-2}"
out="${IV_OUT:-$root/benchmarks/out/screen-protocols}"
mkdir -p "$out"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null; }
cli="${IV_EXE:-$root/imaging-value}"
"$cli" --help >/dev/null

protocols="${1:-}"
if [ -z "$protocols" ]; then
  # The sacrum protocol first (it leads, as in the workspace), then the other built-in ones.
  protocols="$( { echo sacrum-mri-lbp; "$cli" protocol list | sed -n 's/^\([a-z0-9-]*\):.*/\1/p' | grep -vx sacrum-mri-lbp; } | paste -sd, -)"
  if [ "$(tr ',' '\n' <<< "$protocols" | wc -l)" -lt 3 ]; then
    sed 's/^id: lumbar-imaging-lbp$/id: lumbar-site-copy/' "$root/src/ImagingValue.Protocols/BuiltIn/lumbar-imaging-lbp.yaml" > "$out/lumbar-site-copy.yaml"
    protocols="$protocols,$out/lumbar-site-copy.yaml"
  fi
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $rows orders; protocols: $protocols"

csv="$out/orders-$rows.csv"
pristine="$out/pristine-$rows"
if [ -n "${ORDERS:-}" ]; then
  csv="$(cd "$(dirname "$ORDERS")" && pwd)/$(basename "$ORDERS")"
  pristine="$out/pristine-$(basename "$ORDERS" .csv)"
fi
[ -f "$csv" ] || "$cli" synth orders --rows "$rows" --out "$csv" >/dev/null
if [ ! -f "$pristine/imaging-value.db" ]; then
  "$cli" init --workspace "$pristine" 2>/dev/null
  "$cli" import --workspace "$pristine" --orders "$csv" 2>/dev/null
fi

declare -A times=([alone]="" [all]="") cpus=([alone]="" [all]="")
for round in $(seq 1 "$rounds"); do
  for side in alone all; do
    ws="$out/ws-$side"
    rm -rf "$ws" && cp -a "$pristine" "$ws"
    list="sacrum-mri-lbp"; [ "$side" = all ] && list="$protocols"
    # %e elapsed s, %U user s, %S system s, %P CPU share, %M peak resident KB
    /usr/bin/time -f "%e %U %S %P %M" -o "$out/$side.time" "$cli" screen --workspace "$ws" --protocol "$list" --screening-log "$out/screening-$side.csv" > "$out/$side.log"
    read -r elapsed user sys cpu mem < "$out/$side.time"
    seconds="$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", u + s}')"
    printf 'round %d %-5s %6.1f s, %s CPU s (%s), peak %d MB, %d rows in screening.csv\n' "$round" "$side" "$elapsed" "$seconds" "$cpu" "$(( mem / 1024 ))" "$(( $(wc -l < "$out/screening-$side.csv") - 1 ))"
    times[$side]="${times[$side]} $elapsed"
    cpus[$side]="${cpus[$side]} $seconds"
  done
done
rm -rf "$out/ws-alone" "$out/ws-all"

median() { tr ' ' '\n' <<< "$1" | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
alone="$(median "${times[alone]}")"
all="$(median "${times[all]}")"
ratio="$(awk -v a="$all" -v b="$alone" 'BEGIN {printf "%.2f", a / b}')"
cpu_alone="$(median "${cpus[alone]}")"
cpu_all="$(median "${cpus[all]}")"
echo "median: sacrum alone $alone s, all $all s: ratio $ratio (target at most 1.5)"
echo "median CPU seconds: sacrum alone $cpu_alone, all $cpu_all: ratio $(awk -v a="$cpu_all" -v b="$cpu_alone" 'BEGIN {printf "%.2f", a / b}')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v r="$ratio" 'BEGIN {exit (r > 1.5)}'
