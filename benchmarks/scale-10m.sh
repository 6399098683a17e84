#!/usr/bin/env bash
# A health system's volume on both engines (issue 16, "Done when" item 2): ORDERS (default 10,000,000) `synth orders`
# rows, in the same run:
#   PostgreSQL (a throwaway cluster of its own, scripts/test-postgres.sh; stopped by a trap):
#     baseline  `psql \copy` of the file into a bare table with the same columns, all text, no keys;
#     `init --database` + `import --orders` (target: at most 2x the \copy), `screen` (target: peak RSS < 500 MB),
#     `report --out` (report.html must be written);
#   SQLite beside it: `sqlite3 NEW.db ".import --csv F orders"` (the baseline of import-throughput.sh), `init` +
#     `import --orders`, `screen` (peak RSS < 500 MB too: memory flat at any size), `report --out`.
# Each step: elapsed and CPU (user + system) seconds and peak RSS of the client process (/usr/bin/time), and for
# PostgreSQL the CPU seconds the cluster's server processes spent on it (postmaster, its reaped and live children,
# from /proc). Prints a table of every figure and exits 1 when a target fails.
#   benchmarks/scale-10m.sh [ORDERS]
#   IV_EXE=/path/to/imaging-value measures that CLI; IV_OUT=DIR puts the input and workspaces there (the orders file,
#   orders-ORDERS.csv, is reused when present: 10,000,000 rows are ~1.9 GB and take minutes to generate).
#   ENGINES="postgres sqlite" (default) or one of them.
# The cluster runs as test-postgres.sh starts it: fsync, synchronous_commit and full_page_writes off, default memory
# settings; the baseline and the import run on the same cluster, so the ratio compares like with like.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/benchmarks/lib-builds.sh"   # start_postgres, stop_postgres
orders="${1:-10000000}"
engines="${ENGINES:-postgres sqlite}"
out="${IV_OUT:-$root/benchmarks/out/scale-$orders}"
cli="${IV_EXE:-$root/imaging-value}"
period=2013-01-01..2016-12-31      # synth orders spans 2013-2017, as report-1m.sh reads it
follow_up=2017-01-01..2017-12-31
mkdir -p "$out"

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$2" >/dev/null; }; }
need sqlite3 sqlite3
need psql postgresql-client
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null; }

"$cli" --help >/dev/null   # builds the CLI (Release) when sources changed, outside the timings
csv="$out/orders-$orders.csv"
if [ ! -f "$csv" ]; then
  /usr/bin/time -f "%e %U %S %M" -o "$out/synth.time" "$cli" synth orders --rows "$orders" --out "$csv.part" >/dev/null
  mv "$csv.part" "$csv"
  echo "synth orders: $(awk '{ printf "%.1f s elapsed, %.1f CPU s, peak %.0f MB", $1, $2 + $3, $4 / 1024 }' "$out/synth.time")"
fi
echo "input: $csv ($(du -m "$csv" | cut -f1) MB, $orders orders)"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GB, $(sqlite3 --version | cut -d' ' -f1) sqlite3, $(psql --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

PG_DIR=""
trap stop_postgres EXIT

# CPU seconds the cluster has used so far: the postmaster, every child it has reaped (each connection's backend ends
# with its connection, so a finished step's backends are in here) and the children still running (checkpointer, WAL
# writer, ...). Read as root; the server runs as postgres.
pg_cpu() {
  local pm; pm="$(head -n 1 "$PG_DIR/data/postmaster.pid")"
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for child in $(ps -o pid= --ppid "$pm"); do awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || true; done
  } | awk -v hz="$(getconf CLK_TCK)" '{ s += $1 } END { printf "%.1f", s / hz }'
}

# run NAME COMMAND...: runs it under /usr/bin/time; $out/NAME.time gets "elapsed user system peakKB" and, for
# PostgreSQL steps, a fifth field: the cluster's CPU seconds. Its output goes to $out/NAME.log; a failure stops the run.
run() {
  local name="$1"; shift
  local before=""
  [ -n "$PG_DIR" ] && before="$(pg_cpu)"
  if ! /usr/bin/time -f "%e %U %S %M" -o "$out/$name.time" "$@" > "$out/$name.log" 2>&1; then
    tail -n 20 "$out/$name.log"; echo "$name failed (log: $out/$name.log)"; exit 1
  fi
  if [ -n "$PG_DIR" ]; then
    local server; server="$(awk -v a="$before" -v b="$(pg_cpu)" 'BEGIN { printf "%.1f", b - a }')"
    sed -i "s/\$/ $server/" "$out/$name.time"
  else
    sed -i 's/$/ -/' "$out/$name.time"
  fi
  printf '%-16s %s\n' "$name" "$(awk '{ printf "%.1f s, %.1f CPU s, peak %.0f MB%s", $1, $2 + $3, $4 / 1024, ($5 == "-" ? "" : ", server " $5 " CPU s") }' "$out/$name.time")"
}
field() { awk -v f="$2" '{ print $f }' "$out/$1.time"; }

rm -f "$out"/pg-*.time "$out"/pg-*.log "$out"/sqlite-*.time "$out"/sqlite-*.log   # an earlier run's figures never reach this table
header="$(head -n 1 "$csv")"

if [[ " $engines " == *" postgres "* ]]; then
  start_postgres bare iv_scale
  pg=("${PSQL[@]}")
  columns="$(tr -d '\r' <<<"$header" | tr ',' '\n' | awk '{ printf "%s\"%s\" text", (NR > 1 ? ", " : ""), $0 }')"
  "${pg[@]}" -d bare -c "CREATE TABLE orders ($columns)"
  echo "PostgreSQL $("${pg[@]}" -d postgres -Atc 'SHOW server_version') on port $PG_PORT ($PG_DIR)"

  run pg-copy "${pg[@]}" -d bare -c "\\copy orders FROM '$csv' WITH (FORMAT csv, HEADER true)"
  copied="$("${pg[@]}" -d bare -Atc 'SELECT count(*) FROM orders')"
  [ "$copied" = "$orders" ] || { echo "\\copy loaded $copied rows, not $orders"; exit 1; }
  "${pg[@]}" -d postgres -c "DROP DATABASE bare"   # its pages would otherwise share the cache with the workspace
  rm -rf "$out/pg-ws" "$out/pg-report"
  run pg-init "$cli" init --workspace "$out/pg-ws" --database "$PG_CONN;Database=iv_scale"
  run pg-import "$cli" import --workspace "$out/pg-ws" --orders "$csv"
  run pg-screen "$cli" screen --workspace "$out/pg-ws"
  run pg-report "$cli" report --workspace "$out/pg-ws" --period "$period" --follow-up "$follow_up" --out "$out/pg-report"
  echo "PostgreSQL database size after: $("${pg[@]}" -d postgres -Atc "SELECT pg_size_pretty(pg_database_size('iv_scale'))")"
  stop_postgres
fi

if [[ " $engines " == *" sqlite "* ]]; then
  rm -rf "$out/bare.db" "$out/sqlite-ws" "$out/sqlite-report"
  run sqlite-import-baseline sqlite3 "$out/bare.db" ".import --csv $csv orders"
  rm -f "$out/bare.db"
  run sqlite-init "$cli" init --workspace "$out/sqlite-ws"
  run sqlite-import "$cli" import --workspace "$out/sqlite-ws" --orders "$csv"
  run sqlite-screen "$cli" screen --workspace "$out/sqlite-ws"
  run sqlite-report "$cli" report --workspace "$out/sqlite-ws" --period "$period" --follow-up "$follow_up" --out "$out/sqlite-report"
  echo "SQLite workspace size after: $(du -m "$out/sqlite-ws/imaging-value.db" | cut -f1) MB"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The table and the targets.
python3 - "$out" "$orders" "$engines" <<'PY'
import os, sys
out, orders, engines = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
def read(name):
    path = os.path.join(out, name + ".time")
    if not os.path.exists(path): return None
    e, u, s, kb, server = open(path).read().split()[:5]
    return {"elapsed": float(e), "cpu": float(u) + float(s), "peak": float(kb) / 1024, "server": None if server == "-" else float(server)}
failures = []
print(f"\n{orders:,} orders")
print(f"{'engine':<11} {'step':<34} {'elapsed s':>10} {'CPU s':>8} {'server CPU s':>13} {'peak MB':>8}")
def row(engine, step, m):
    server = "" if m["server"] is None else f"{m['server']:.1f}"
    print(f"{engine:<11} {step:<34} {m['elapsed']:>10.2f} {m['cpu']:>8.1f} {server:>13} {m['peak']:>8.0f}")
for engine, prefix, baseline, label, limit in (("PostgreSQL", "pg", "pg-copy", "psql \\copy (bare table, all text)", 2.0),
                                               ("SQLite", "sqlite", "sqlite-import-baseline", "sqlite3 .import (bare table)", 3.0)):
    if ("postgres" if prefix == "pg" else "sqlite") not in engines: continue
    base, init, imp, screen, report = (read(n) for n in (baseline, f"{prefix}-init", f"{prefix}-import", f"{prefix}-screen", f"{prefix}-report"))
    row(engine, label, base)
    row(engine, "init", init)
    row(engine, "import --orders", imp)
    row(engine, "screen", screen)
    row(engine, "report --out", report)
    ratio = (init["elapsed"] + imp["elapsed"]) / base["elapsed"]
    cpu_base = base["cpu"] + (base["server"] or 0)
    cpu_ratio = (init["cpu"] + imp["cpu"] + (init["server"] or 0) + (imp["server"] or 0)) / cpu_base if cpu_base else float("nan")
    # PostgreSQL's ratio is the issue's target; SQLite's 3x is import-throughput.sh's, shown for comparison only.
    target = f"target <= {limit:.0f}" + ("" if prefix == "pg" else ", not checked here")
    verdict = "met" if ratio <= limit else "MISSED"
    print(f"{engine:<11} {'(init + import) / baseline':<34} {ratio:>10.2f} {cpu_ratio:>8.2f}   elapsed ratio, CPU ratio (client + server); {target}: {verdict}")
    if prefix == "pg" and ratio > limit: failures.append(f"PostgreSQL import {ratio:.2f}x the \\copy (target <= 2)")
    if screen["peak"] >= 500: failures.append(f"{engine} screen peak {screen['peak']:.0f} MB (target < 500)")
    html = os.path.join(out, f"{prefix}-report", "report.html")
    if not os.path.exists(html) or os.path.getsize(html) == 0: failures.append(f"{engine}: report.html not written")
    else: print(f"{engine:<11} {'report.html':<34} {os.path.getsize(html) / 1e6:>10.1f} MB; screen peak {screen['peak']:.0f} MB (target < 500): {'met' if screen['peak'] < 500 else 'MISSED'}")
print("targets: " + ("met" if not failures else "MISSED: " + "; ".join(failures)))
sys.exit(1 if failures else 0)
PY
