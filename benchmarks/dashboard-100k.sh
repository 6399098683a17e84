#!/usr/bin/env bash
# The dashboard (GET /dashboard, Pages/Dashboard.cshtml) of a workspace of ORDERS generated orders (default 100,000,
# `synth orders`: a sixth or so are sacrum/coccyx MRIs, a good part of them included) in `serve --workspace`, an
# admin signed in with curl: the first request, then the median and max of REQUESTS (10) more.
# Target (refactor issue 12): under 300 ms after the first request.
#   benchmarks/dashboard-100k.sh [ORDERS] [REQUESTS]
#   IV_EXE=/path/to/imaging-value measures that CLI instead of ./imaging-value; IV_OUT=DIR puts the workspace there
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/benchmarks/lib-builds.sh"   # start_serve, sign_in
orders="${1:-100000}"
requests="${2:-10}"
out="${IV_OUT:-$root/benchmarks/out/dashboard-$orders}"
cli="${IV_EXE:-$root/imaging-value}"
"$cli" --help >/dev/null   # builds the CLI (Release) when sources changed
mkdir -p "$out" && rm -rf "$out/ws" "$out/orders.csv" "$out/cookies.txt"   # only what this script made: IV_OUT may be any folder
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

"$cli" synth orders --rows "$orders" --out "$out/orders.csv" >/dev/null
"$cli" init --workspace "$out/ws" >/dev/null 2>&1
"$cli" import --workspace "$out/ws" --orders "$out/orders.csv" >/dev/null 2>&1
"$cli" screen --workspace "$out/ws" --screening-log "$out/screening.csv"   # prints how many it includes
printf 'Benchmark-Password-1\n' | "$cli" user add --workspace "$out/ws" --name bench --role admin

start_serve "$cli" "$out/ws" "$out/serve.log"
server=$SERVE_PID base=$SERVE_BASE
# Stop exactly the server this script started.
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
jar="$out/cookies.txt"
sign_in "$base" "$jar" bench Benchmark-Password-1

# get: "HTTP status, seconds" of one GET of the dashboard; the page is kept for the check below.
get() { curl -s -o "$out/dashboard.html" -w '%{http_code} %{time_total}' -b "$jar" "$base/dashboard"; }
read -r code first <<<"$(get)"
[ "$code" = 200 ] || { echo "GET /dashboard answered $code"; exit 1; }
# The page must hold the analysis (the cohort table with a target count), not a "no screening run" message.
targets=$(tr -d '\n' < "$out/dashboard.html" | sed -n 's/.*Target exams<\/th><td><a [^>]*>\([0-9]*\)<.*/\1/p')
[ -n "$targets" ] || { echo "the dashboard shows no cohort:"; grep -o 'class="message[^<]*' "$out/dashboard.html"; exit 1; }
echo "dashboard: $targets target exams in the period shown"
times=()
for _ in $(seq 1 "$requests"); do
  read -r code t <<<"$(get)"
  [ "$code" = 200 ] || { echo "GET /dashboard answered $code"; exit 1; }
  times+=("$t")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$first" "${times[@]}" <<'PY'
import statistics, sys
first, rest = float(sys.argv[1]), [float(t) for t in sys.argv[2:]]
median, worst = statistics.median(rest), max(rest)
print(f"GET /dashboard: first {first * 1000:.0f} ms; then {len(rest)} more: median {median * 1000:.0f} ms, max {worst * 1000:.0f} ms "
      f"(all: {' '.join(f'{t * 1000:.0f}' for t in rest)})")
print(f"target < 300 ms after the first request: {'met' if worst < 0.3 else 'MISSED'} (max {worst * 1000:.0f} ms, median {median * 1000:.0f} ms)")
PY
