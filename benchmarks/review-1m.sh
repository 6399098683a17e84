#!/usr/bin/env bash
# The review web app at scale (issue 16, item 5): `serve --workspace --dev` on a workspace of ORDERS orders (default
# 1,000,000) of which INCLUDED (default 100,000) are included exams of the configured protocol (sacrum MRI for low back
# pain), a tenth of those reviewed; an admin signed in with curl; then the median and max of REQUESTS (10) requests each
# of the worklist's first page, two filtered pages (unreviewed; one department), a deep page and a reviewed-only filter,
# and GET /dashboard after its first request (the first request's time too). Prints serve's peak resident memory.
# Targets: worklist first page and a filtered page < 300 ms, dashboard < 500 ms after its first request.
#   benchmarks/review-1m.sh [ORDERS] [INCLUDED] [REQUESTS]
#   IV_EXE=/path/to/imaging-value measures that CLI instead of ./imaging-value; IV_OUT=DIR puts the workspace there;
#   REUSE=1 keeps an existing workspace in IV_OUT (made by an earlier run with the same ORDERS and INCLUDED) and skips
#   making it again (a million orders take minutes to import and screen); SQLite only.
#   ENGINE=sqlite (default) or postgres: where the workspace is kept. postgres starts a throwaway cluster of its own
#   (scripts/test-postgres.sh, stopped by the trap) and makes the workspace with `init --database`; every timing is
#   the same on both. The default folder gets a -postgres suffix, so the two engines' workspaces sit side by side.
#
# The orders: `synth orders` includes about 16% of its rows (15,712 of 100,000), so a million of them would give some
# 157,000 included exams, not the 100,000 asked for. The script therefore writes its own orders.csv (awk, fixed seed):
# INCLUDED sacrum MRIs for low back pain without red flags (the protocol includes every one of them; `screen` prints
# the count and the script stops when it differs) and ORDERS - INCLUDED orders of other procedures (chest X-ray, head
# CT, brain MRI, abdominal ultrasound, knee X-ray) that the protocol does not target, all from 2013 to 2016, five
# departments, 80 providers. Reviews: every tenth included exam, primary review by `resident`, 3% major findings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/benchmarks/lib-builds.sh"   # start_serve, sign_in, start_postgres
engine="${ENGINE:-sqlite}"
case "$engine" in
  sqlite) suffix="" ;;
  postgres) suffix="-postgres" ;;
  *) echo "ENGINE must be sqlite or postgres, not '$engine'"; exit 2 ;;
esac
orders="${1:-1000000}"
included="${2:-100000}"
requests="${3:-10}"
out="${IV_OUT:-$root/benchmarks/out/review-$orders-$included$suffix}"
cli="${IV_EXE:-$root/imaging-value}"
[ "$included" -le "$orders" ] || { echo "INCLUDED ($included) is more than ORDERS ($orders)"; exit 2; }
# A throwaway cluster holds nothing from an earlier run.
[ "$engine" = sqlite ] || [ "${REUSE:-0}" != 1 ] || { echo "REUSE=1 is for SQLite workspaces: ENGINE=postgres makes a new cluster each run"; exit 2; }
"$cli" --help >/dev/null   # builds the CLI (Release) when sources changed
mkdir -p "$out"
echo "engine: $engine; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
server=""
# Stop exactly the server and the cluster this script started.
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; stop_postgres' EXIT
database=()
if [ "$engine" = postgres ]; then
  start_postgres iv_review
  database=(--database "$PG_CONN;Database=iv_review")
  echo "PostgreSQL $("${PSQL[@]}" -d postgres -Atc 'SHOW server_version') on port $PG_PORT ($PG_DIR)"
fi

if [ "${REUSE:-0}" != 1 ] || [ ! -d "$out/ws" ]; then
  rm -rf "$out/ws" "$out/orders.csv" "$out/reviews.csv" "$out/cookies.txt"   # only what this script made
  awk -v n="$orders" -v k="$included" 'BEGIN {
    srand(16); print "order_id,patient_id,ordered_at,performed_at,procedure_name,indication,ordering_provider,ordering_department,patient_sex,patient_birth_date,status";
    split("Family Medicine,Internal Medicine,Orthopedics,Emergency,Rheumatology", dept, ",");
    split("XR CHEST 2 VIEWS|CT HEAD WO CONTRAST|MRI BRAIN W WO CONTRAST|US ABDOMEN COMPLETE|XR KNEE 3 VIEWS", other, "|");
    split("cough|headache after fall|dizziness|abdominal pain|knee pain after twisting injury", why, "|");
    # Every (n / k)-th order is a target exam, so the included exams are spread over the file as in real data.
    step = n / k; next_target = 1; targets = 0;
    for (i = 1; i <= n; i++) {
      d = sprintf("%04d-%02d-%02d", 2013 + int(rand() * 4), 1 + int(rand() * 12), 1 + int(rand() * 28));
      provider = int(rand() * 80); sex = (rand() < 0.6 ? "F" : "M"); born = 1940 + int(rand() * 60);
      if (targets < k && i >= next_target) {
        targets++; next_target = 1 + int(targets * step);
        printf "R%07d,P%07d,%sT09:00,%sT11:00,MRI SACRUM WO CONTRAST,low back pain for %d months,Dr %d,%s,%s,%d-05-20,completed\n",
          i, i, d, d, 1 + int(rand() * 12), provider, dept[1 + provider % 5], sex, born;
      } else {
        j = 1 + int(rand() * 5);
        printf "R%07d,P%07d,%sT09:00,%sT11:00,%s,%s,Dr %d,%s,%s,%d-05-20,completed\n",
          i, i, d, d, other[j], why[j], provider, dept[1 + provider % 5], sex, born;
      }
    } }' > "$out/orders.csv"
  # Reviews of every tenth included exam (the included exams are the sacrum MRIs, in file order).
  awk -F, 'BEGIN { srand(17); print "order_id,reviewer,major_finding,minor_finding,incidental_finding,finding_notes,management_change,review_role,reviewed_at" }
    $5 == "MRI SACRUM WO CONTRAST" && ++seen % 10 == 1 { printf "%s,resident,%s,no,yes,,none,primary,2017-01-02T10:00\n", $1, (rand() < 0.03 ? "yes" : "no") }' \
    "$out/orders.csv" > "$out/reviews.csv"

  start=$(date +%s.%N)
  "$cli" init --workspace "$out/ws" "${database[@]}" >/dev/null 2>&1
  "$cli" import --workspace "$out/ws" --orders "$out/orders.csv" --reviews "$out/reviews.csv" >/dev/null
  echo "import: $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.0f} s')" "$start" "$(date +%s.%N)")"
  screened=$("$cli" screen --workspace "$out/ws")
  echo "$screened"
  case "$screened" in
    *" $included included"*) ;;
    *) echo "screen did not include exactly $included exams; the figures would not be for the workspace asked for"; exit 1 ;;
  esac
  printf 'Benchmark-Password-1\n' | "$cli" user add --workspace "$out/ws" --name bench --role admin >/dev/null
fi

start_serve "$cli" "$out/ws" "$out/serve.log"
server=$SERVE_PID base=$SERVE_BASE
jar="$out/cookies.txt"
sign_in "$base" "$jar" bench Benchmark-Password-1

# get PATH: "HTTP status seconds" of one GET; the page is kept in $out/page.html for the checks.
get() { curl -s -o "$out/page.html" -w '%{http_code} %{time_total}' -b "$jar" "$base$1"; }
caption() { { grep -o '<caption>[^<]*' "$out/page.html" || true; } | head -n 1 | sed 's/<caption>//'; }
rss() { sed -n 's/^\(VmHWM\|VmRSS\):[[:space:]]*\([0-9]*\) kB/\1 \2/p' "/proc/$server/status" | awk '{ printf "%s %.0f MB  ", $1, $2 / 1024 }'; }
echo "serve after start: $(rss)"

# measure LABEL PATH TARGET_MS: REQUESTS timed GETs (after one untimed warm-up), median and max.
measure() {
  local label="$1" path="$2" target="$3" code t times=()
  read -r code t <<<"$(get "$path")"
  [ "$code" = 200 ] || { echo "GET $path answered $code"; exit 1; }
  local shown; shown="$(caption)"
  for _ in $(seq 1 "$requests"); do
    read -r code t <<<"$(get "$path")"
    [ "$code" = 200 ] || { echo "GET $path answered $code"; exit 1; }
    times+=("$t")
  done
  python3 - "$label" "$path" "$target" "$shown" "${times[@]}" <<'PY'
import statistics, sys
label, path, target, shown, times = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], [float(t) * 1000 for t in sys.argv[5:]]
median, worst = statistics.median(times), max(times)
goal = f"target < {target} ms: {'met' if worst < float(target) else 'MISSED'}" if target != "-" else "no target"
print(f"{label:<22} GET {path:<42} median {median:5.0f} ms, max {worst:5.0f} ms of {len(times)}  ({goal}; {shown})")
PY
}

measure "worklist first page" "/?filter=all&p=1" 300
measure "worklist unreviewed" "/?filter=unreviewed&p=1" 300
measure "worklist department" "/?filter=all&dept=Orthopedics&p=1" 300
measure "worklist deep page" "/?filter=all&p=1500" -
measure "worklist reviewed" "/?filter=reviewed&p=3" -

read -r code first <<<"$(get /dashboard)"
[ "$code" = 200 ] || { echo "GET /dashboard answered $code"; exit 1; }
targets=$(tr -d '\n' < "$out/page.html" | sed -n 's/.*Target exams<\/th><td><a [^>]*>\([0-9]*\)<.*/\1/p')
[ -n "$targets" ] || { echo "the dashboard shows no cohort:"; grep -o 'class="message[^<]*' "$out/page.html"; exit 1; }
printf 'dashboard first request %.0f ms (%s target exams in the period shown)\n' "$(python3 -c "print(float('$first') * 1000)")" "$targets"
measure "dashboard" "/dashboard" 500
echo "serve at the end: $(rss)(VmHWM: peak resident memory); CPU $(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$server/stat") s since start"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
