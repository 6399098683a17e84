#!/usr/bin/env bash
# Two `serve` instances on one PostgreSQL workspace under a mixed load for MINUTES (default 10), PostgreSQL restarted
# at RESTART_AT minutes (default the middle; 0 = no restart) without restarting serve (issue 16, "Done when": the soak).
#   - a throwaway cluster of its own (scripts/test-postgres.sh; the trap stops it and both instances);
#   - a workspace of ORDERS (SOAK_ORDERS, 20,000) `synth orders` rows, screened, a reviewer account; instance A serves
#     the folder made by `init --database`, instance B a folder of its own holding only a copy of its workspace.json
#     (sign-in keys are shared in the database, so the reviewer signs in once, on A, and the cookie works on both);
#   - the load (benchmarks/soak-load.py): CDS hook calls (cds-load.sh's full sacrum-mri-lbp-select request, a new
#     hookInstance each), feedback for a share of the cards returned (posted to the other instance), worklist pages as
#     the signed-in reviewer; each instance's RSS sampled every 5 s;
#   - the restart: `pg_ctl stop -m fast`, 10 s without a database, `pg_ctl start` with the options test-postgres.sh
#     gave it.
# Prints p50/p99 per request kind and instance, errors before / during / after the outage, what the CDS service and
# the web app answered during it, how long after PostgreSQL was back the first worklist page, card and feedback came,
# and RSS growth after the first minute. Targets: no errors outside the outage, RSS growth < 10 %, p99 < 50 ms
# (exit 1 when one fails).
#   benchmarks/soak.sh [MINUTES] [RESTART_AT]      (fractions allowed: soak.sh 2 1)
#   HOOK_RATE (20) and WORKLIST_RATE (2) per instance a second, FEEDBACK_SHARE (0.25), OUTAGE (10 s), SOAK_ORDERS;
#   IV_EXE=/path/to/imaging-value measures that CLI; IV_OUT=DIR for the workspace folders, logs and figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/benchmarks/lib-builds.sh"   # start_serve, sign_in, start_postgres
minutes="${1:-10}"
restart_at="${2:-$(python3 -c "print($minutes / 2)")}"
orders="${SOAK_ORDERS:-20000}"
outage="${OUTAGE:-10}"
out="${IV_OUT:-$root/benchmarks/out/soak}"
cli="${IV_EXE:-$root/imaging-value}"
password=Soak-Password-1
"$cli" --help >/dev/null   # builds the CLI (Release) when sources changed
mkdir -p "$out" && rm -rf "$out/ws-a" "$out/ws-b" "$out"/*.log "$out"/*.csv "$out/restart.txt" "$out/cookies.txt"

servers=()
restarter=""
cleanup() {
  [ -z "$restarter" ] || kill "$restarter" 2>/dev/null || true
  local pid
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  stop_postgres
}
trap cleanup EXIT

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start_postgres iv_soak
echo "PostgreSQL $("${PSQL[@]}" -d postgres -Atc 'SHOW server_version') on port $PG_PORT ($PG_DIR)"

[ -f "$out/orders-$orders.csv" ] || "$cli" synth orders --rows "$orders" --out "$out/orders-$orders.csv" >/dev/null
"$cli" init --workspace "$out/ws-a" --database "$PG_CONN;Database=iv_soak" >/dev/null
"$cli" import --workspace "$out/ws-a" --orders "$out/orders-$orders.csv" > "$out/import.log" 2>&1
"$cli" screen --workspace "$out/ws-a" --screening-log "$out/screening-log.csv"   # prints how many it includes
printf '%s\n' "$password" | "$cli" user add --workspace "$out/ws-a" --name soak --role reviewer >/dev/null
mkdir -p "$out/ws-b" && cp -p "$out/ws-a/workspace.json" "$out/ws-b/"

start_serve "$cli" "$out/ws-a" "$out/serve-a.log"
servers+=("$SERVE_PID"); pid_a=$SERVE_PID base_a=$SERVE_BASE
start_serve "$cli" "$out/ws-b" "$out/serve-b.log"
servers+=("$SERVE_PID"); pid_b=$SERVE_PID base_b=$SERVE_BASE
echo "instance A: $base_a (pid $pid_a, folder ws-a); instance B: $base_b (pid $pid_b, folder ws-b with workspace.json only)"
sign_in "$base_a" "$out/cookies.txt" soak "$password"
cookie="$(awk -F'\t' 'NF >= 7 && $1 !~ /^# / { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$out/cookies.txt")"
for base in "$base_a" "$base_b"; do   # the cookie from A must open the worklist on both
  curl -s -o "$out/page.html" -H "Cookie: $cookie" "$base/?filter=all&p=1"
  grep -q '<caption>' "$out/page.html" || { echo "the reviewer's cookie does not open the worklist on $base"; exit 1; }
done

# The hook request and the feedback body, split where each request puts its own id (as cds-load.sh does).
python3 - "$root/tests/ImagingValue.Cds.Tests/TestData/order-select-card.json" "$out/request" <<'PY'
import json, sys
request = json.load(open(sys.argv[1]))
request["hookInstance"] = "HOOK-INSTANCE"
head, tail = json.dumps(request, separators=(",", ":")).split("HOOK-INSTANCE")
open(sys.argv[2] + ".head", "w").write(head)
open(sys.argv[2] + ".tail", "w").write(tail)
PY
sed 's/CARD_UUID/CARD-UUID/' "$root/tests/ImagingValue.Cds.Tests/TestData/golden/feedback-overridden-sandbox.json" > "$out/feedback.json"
answer="$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "$(cat "$out/request.head")check-1$(cat "$out/request.tail")" \
  "$base_a/cds-services/sacrum-mri-lbp-select")"
python3 -c 'import json, sys; assert len(json.loads(sys.argv[1])["cards"]) == 1, "the hook request must get a card: " + sys.argv[1][:300]' "$answer"

seconds=$(python3 -c "print(round($minutes * 60))")
# The restart, in the background: epoch seconds of each step into restart.txt for the figures.
if python3 -c "import sys; sys.exit(0 if 0 < $restart_at < $minutes else 1)"; then
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  (
    sleep "$(python3 -c "print($restart_at * 60)")"
    echo "stop $(date +%s.%N)" >> "$out/restart.txt"
    su postgres -s /bin/sh -c "$bin/pg_ctl -D $PG_DIR/data -m fast -w stop" > "$out/restart.log" 2>&1
    echo "stopped $(date +%s.%N)" >> "$out/restart.txt"
    sleep "$outage"
    # The same options scripts/test-postgres.sh starts the cluster with.
    su postgres -s /bin/sh -c "$bin/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off' -l $PG_DIR/server.log -w start" >> "$out/restart.log" 2>&1
    echo "up $(date +%s.%N)" >> "$out/restart.txt"
  ) &
  restarter=$!
  echo "PostgreSQL restart at $restart_at min ($outage s down); load for $minutes min"
else
  echo "no restart (RESTART_AT $restart_at is not inside the run); load for $minutes min"
fi

status=0
python3 "$root/benchmarks/soak-load.py" --base "$base_a" --base "$base_b" --pid "$pid_a" --pid "$pid_b" --cookie "$cookie" \
  --request "$out/request" --feedback "$out/feedback.json" --seconds "$seconds" --out "$out" \
  --hook-rate "${HOOK_RATE:-20}" --worklist-rate "${WORKLIST_RATE:-2}" --feedback-share "${FEEDBACK_SHARE:-0.25}" || status=$?
[ -z "$restarter" ] || { wait "$restarter" || true; restarter=""; }
for name in a b; do
  echo "serve-$name.log: $(wc -l < "$out/serve-$name.log") lines, $(grep -c -i -E 'fail|error|exception' "$out/serve-$name.log" || true) naming a failure, error or exception"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "requests: $out/requests.csv; RSS samples: $out/rss.csv; logs: $out/serve-a.log, $out/serve-b.log"
exit "$status"
