#!/usr/bin/env bash
# PostgreSQL import against `psql \copy` (issue 16's "at most 2x"), smaller and quicker than scale-10m.sh: ORDERS
# (default 1,000,000) `synth orders` rows, in one throwaway cluster and one run:
#   `psql \copy` of the file into a bare all-text table (the baseline), then for each CLI given
#   `init --database` + `import --orders` into a new database of that cluster.
# Each step: elapsed, client CPU (user + system) and peak RSS (/usr/bin/time), and the cluster's CPU seconds (from
# /proc, as scale-10m.sh reads them); then each CLI's (init + import) / \copy ratio, elapsed and CPU.
#   benchmarks/pg-import-ratio.sh [ORDERS]
#   IV_EXE=... the CLI measured (default ./imaging-value); IV_BASE_EXE=... a second CLI measured first in the same run
#   (e.g. a copy of main's build), for a before/after. IV_OUT=DIR holds the input (reused when present).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/benchmarks/lib-builds.sh"   # start_postgres, stop_postgres
orders="${1:-1000000}"
out="${IV_OUT:-$root/benchmarks/out/pg-import-$orders}"
cli="${IV_EXE:-$root/imaging-value}"
mkdir -p "$out"
"$cli" --help >/dev/null   # builds the CLI when sources changed, outside the timings
csv="$out/orders-$orders.csv"
[ -f "$csv" ] || { "$cli" synth orders --rows "$orders" --out "$csv.part" >/dev/null; mv "$csv.part" "$csv"; }
echo "input: $csv ($(du -m "$csv" | cut -f1) MB); $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

PG_DIR=""
trap stop_postgres EXIT
pg_cpu() {   # the cluster's CPU seconds so far: postmaster, its reaped children and the live ones
  local pm; pm="$(head -n 1 "$PG_DIR/data/postmaster.pid")"
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for child in $(ps -o pid= --ppid "$pm"); do awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || true; done
  } | awk -v hz="$(getconf CLK_TCK)" '{ s += $1 } END { printf "%.1f", s / hz }'
}
# Waits (up to 10 s) until no client connection's backend is left: a backend's CPU time reaches the postmaster's
# count only when it has exited and been reaped, which happens a moment after the client exits.
backends_gone() {
  local pm; pm="$(head -n 1 "$PG_DIR/data/postmaster.pid")"
  for _ in $(seq 1 100); do
    ps -o args= --ppid "$pm" | grep -q '127\.0\.0\.1(\|\[local\]' || return 0
    sleep 0.1
  done
}
# run NAME COMMAND...: $out/NAME.time gets "elapsed user system peakKB serverCPU"; a failure stops the run.
run() {
  local name="$1" before; shift
  before="$(pg_cpu)"
  /usr/bin/time -f "%e %U %S %M" -o "$out/$name.time" "$@" > "$out/$name.log" 2>&1 \
    || { tail -n 20 "$out/$name.log"; echo "$name failed"; exit 1; }
  backends_gone
  sed -i "s/\$/ $(awk -v a="$before" -v b="$(pg_cpu)" 'BEGIN { printf "%.1f", b - a }')/" "$out/$name.time"
  printf '%-14s %s\n' "$name" "$(awk '{ printf "%.2f s, client %.1f CPU s, peak %.0f MB, server %s CPU s", $1, $2 + $3, $4 / 1024, $5 }' "$out/$name.time")"
}

start_postgres bare
columns="$(head -n 1 "$csv" | tr -d '\r' | tr ',' '\n' | awk '{ printf "%s\"%s\" text", (NR > 1 ? ", " : ""), $0 }')"
"${PSQL[@]}" -d bare -c "CREATE TABLE orders ($columns)"
run copy "${PSQL[@]}" -d bare -c "\\copy orders FROM '$csv' WITH (FORMAT csv, HEADER true)"
"${PSQL[@]}" -d postgres -c "DROP DATABASE bare"
labels=()
[ -n "${IV_BASE_EXE:-}" ] && labels+=(base)
labels+=(new)
for label in "${labels[@]}"; do
  exe="$cli"; [ "$label" = base ] && exe="$IV_BASE_EXE"
  rm -rf "$out/ws-$label"
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE iv_$label"
  run "$label-init" "$exe" init --workspace "$out/ws-$label" --database "$PG_CONN;Database=iv_$label"
  run "$label-import" "$exe" import --workspace "$out/ws-$label" --orders "$csv"
  grep -iE "inserted|orders" "$out/$label-import.log" | head -n 2
  "${PSQL[@]}" -d postgres -c "DROP DATABASE iv_$label"   # its pages would otherwise share the cache with the next
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for label in "${labels[@]}"; do
  awk -v l="$label" 'FNR == 1 { f++ } { e[f] = $1; c[f] = $2 + $3; s[f] = $5 }
    END { printf "%-5s (init + import) / \\copy: elapsed %.2f, CPU (client + server) %.2f\n", l, (e[2] + e[3]) / e[1], (c[2] + s[2] + c[3] + s[3]) / (c[1] + s[1]) }' \
    "$out/copy.time" "$out/$label-init.time" "$out/$label-import.time"
done
