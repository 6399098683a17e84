#!/usr/bin/env bash
# CDS Hooks load (../shared/benchmarks/README.md): `serve --dev` on loopback, then with wrk (2 threads, same settings)
#   (a) GET /cds-services (discovery, the baseline): peak throughput and latency percentiles;
#   (b) POST /cds-services/sacrum-mri-lbp-select with a full evaluation request (CPT 72195 + indication text, patient
#       and conditions prefetched, a new hookInstance per request): peak throughput and percentiles;
#   (c) the same POST paced at about half of (b)'s peak (wrk Lua delay() per connection): p50/p90/p99;
#   (d) POST /cds-services/sacrum-mri-lbp-select/feedback (a card overridden with a coded reason): a POST that reads,
#       validates and stores a small JSON body but evaluates nothing, to show what a POST costs without evaluation.
# Targets: hook req/s >= 0.5 x discovery req/s; p99 < 50 ms at half the hook's peak.
#   benchmarks/cds-load.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-15}"
connections="${2:-32}"
out="$root/benchmarks/out/cds"
mkdir -p "$out"

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq wrk >/dev/null
fi

# A free loopback port (the OS picks it).
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
"$root/imaging-value" --help >/dev/null   # builds the CLI (Release) when sources changed
"$root/imaging-value" serve --dev --urls "$base" >"$out/server.log" 2>&1 &
server=$!
# Stop exactly the server this script started (imaging-value execs the CLI, so $! is the server itself).
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/cds-services" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$out/server.log"; echo "server did not start"; exit 1; }
  sleep 0.2
done

# The request: the card case of the tests (order text, ICD-10-CM + SNOMED reason, patient and two conditions),
# split around hookInstance so Lua makes a new one per request by concatenation only.
python3 - "$root/tests/ImagingValue.Cds.Tests/TestData/order-select-card.json" "$out/request" <<'PY'
import json, sys
request = json.load(open(sys.argv[1]))
request["hookInstance"] = "HOOK-INSTANCE"
text = json.dumps(request, separators=(",", ":"))
head, tail = text.split("HOOK-INSTANCE")
open(sys.argv[2] + ".head", "w").write(head)
open(sys.argv[2] + ".tail", "w").write(tail)
PY

# A wrk script that POSTs head + a new uuid + tail for every request. $1, $2: the files with the body's head and tail;
# $3: the uuid's first three groups; $4: delay per request in ms (0 = as fast as possible).
post_lua() {
  cat <<LUA
local function read(path) local f = assert(io.open(path, "rb")); local s = f:read("*a"); f:close(); return s end
local head, tail = read("$1"), read("$2")
local n, id = 0, 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function setup(thread) id = id + 1; thread:set("tid", id) end
function init(args) n = 0 end
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, head .. string.format("$3-8000-%04d%08d", tid, n) .. tail)
end
function delay() return $4 end
LUA
}

# The hook request with a new hookInstance per request; $1: delay per request in ms.
hook_lua() { post_lua "$out/request.head" "$out/request.tail" "00000000-0000-4000" "$1"; }

# wrk --latency output -> "req/s p50 p90 p99" (latencies in ms).
summarize() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s+" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(f"{rps:.0f} {ms('50'):.2f} {ms('90'):.2f} {ms('99'):.2f} {non2xx.group(1) if non2xx else 0} {'1' if errors else '0'}")
PY
}

# A short warm-up of both paths (JIT, tiered compilation), not measured.
wrk -t2 -c"$connections" -d3s "$base/cds-services" >/dev/null
hook_lua 0 > "$out/hook.lua"
wrk -t2 -c"$connections" -d3s -s "$out/hook.lua" "$base/cds-services/sacrum-mri-lbp-select" >/dev/null

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/cds-services" > "$out/discovery.txt"
read -r disc_rps disc_p50 disc_p90 disc_p99 disc_bad disc_err <<<"$(summarize "$out/discovery.txt")"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$out/hook.lua" "$base/cds-services/sacrum-mri-lbp-select" > "$out/hook.txt"
read -r hook_rps hook_p50 hook_p90 hook_p99 hook_bad hook_err <<<"$(summarize "$out/hook.txt")"

# (d) Feedback: the same server, a POST without evaluation; a card uuid of its own per request, so each is stored
# (the alert log keeps one outcome per card and would skip repeats).
sed 's/CARD_UUID/CARD-UUID/' "$root/tests/ImagingValue.Cds.Tests/TestData/golden/feedback-overridden-sandbox.json" \
  | python3 -c 'import json,sys; text = json.dumps(json.load(sys.stdin), separators=(",", ":")); head, tail = text.split("CARD-UUID"); open(sys.argv[1] + ".head", "w").write(head); open(sys.argv[1] + ".tail", "w").write(tail)' "$out/feedback"
post_lua "$out/feedback.head" "$out/feedback.tail" "9b1f0c6e-0000-4000" 0 > "$out/feedback.lua"
wrk -t2 -c"$connections" -d3s -s "$out/feedback.lua" "$base/cds-services/sacrum-mri-lbp-select/feedback" >/dev/null
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$out/feedback.lua" "$base/cds-services/sacrum-mri-lbp-select/feedback" > "$out/feedback.txt"
read -r fb_rps fb_p50 fb_p90 fb_p99 fb_bad fb_err <<<"$(summarize "$out/feedback.txt")"

# (c) Half the hook's peak: each connection waits delay() ms between requests. wrk has no clock in Lua, so the first
# guess ignores the response time; a 5 s calibration run scales the delay once to reach the target rate.
target=$(python3 -c "print($hook_rps / 2)")
paced=16
delay=$(python3 -c "print(max(1, round($paced * 1000 / $target)))")
hook_lua "$delay" > "$out/paced.lua"
wrk -t2 -c"$paced" -d5s -s "$out/paced.lua" "$base/cds-services/sacrum-mri-lbp-select" > "$out/paced-calibration.txt"
read -r calib_rps _ <<<"$(summarize "$out/paced-calibration.txt")"
delay=$(python3 -c "print(max(1, round($delay * $calib_rps / $target)))")
hook_lua "$delay" > "$out/paced.lua"
wrk -t2 -c"$paced" -d"${seconds}s" --latency -s "$out/paced.lua" "$base/cds-services/sacrum-mri-lbp-select" > "$out/paced.txt"
read -r half_rps half_p50 half_p90 half_p99 half_bad half_err <<<"$(summarize "$out/paced.txt")"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
for socket_errors in "$disc_err" "$hook_err" "$fb_err" "$half_err"; do
  [ "$socket_errors" = 0 ] || { echo "warning: wrk reported socket errors (see $out/*.txt)"; break; }
done

# One real response, to show what was measured (a warning card and a rating).
curl -fs -X POST -H 'Content-Type: application/json' --data-binary "$(cat "$out/request.head")check-1$(cat "$out/request.tail")" \
  "$base/cds-services/sacrum-mri-lbp-select" > "$out/response.json"
python3 - "$out/response.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["cards"]) == 1 and r["cards"][0]["indicator"] == "warning", "the measured request must be a full evaluation with a card"
print("measured request answers: 1 warning card, rating", r["systemActions"][0]["resource"]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"])
PY

printf '%-34s %9s %8s %8s %8s %7s\n' "wrk -t2 (${seconds}s)" "req/s" "p50 ms" "p90 ms" "p99 ms" "non-2xx"
printf '%-34s %9.0f %8.2f %8.2f %8.2f %7s\n' "(a) discovery, -c$connections" "$disc_rps" "$disc_p50" "$disc_p90" "$disc_p99" "$disc_bad"
printf '%-34s %9.0f %8.2f %8.2f %8.2f %7s\n' "(b) order-select, -c$connections" "$hook_rps" "$hook_p50" "$hook_p90" "$hook_p99" "$hook_bad"
printf '%-34s %9.0f %8.2f %8.2f %8.2f %7s\n' "(c) order-select paced, -c$paced ${delay}ms" "$half_rps" "$half_p50" "$half_p90" "$half_p99" "$half_bad"
printf '%-34s %9.0f %8.2f %8.2f %8.2f %7s\n' "(d) feedback POST, -c$connections" "$fb_rps" "$fb_p50" "$fb_p90" "$fb_p99" "$fb_bad"
python3 - "$disc_rps" "$hook_rps" "$half_rps" "$half_p99" "$fb_rps" "$disc_bad" "$hook_bad" "$half_bad" "$fb_bad" <<'PY'
import sys
disc, hook, half, p99, feedback = map(float, sys.argv[1:6])
bad = sum(int(x) for x in sys.argv[6:10])
ratio = hook / disc
print(f"discovery {disc:.0f} req/s | hook {hook:.0f} req/s | ratio {ratio:.2f} (target >= 0.5) | "
      f"at {half:.0f} req/s ({half / hook * 100:.0f}% of peak) p99 {p99:.2f} ms (target < 50) | "
      f"feedback POST {feedback:.0f} req/s ({feedback / disc:.2f} of discovery)")
print("targets: " + ("met" if ratio >= 0.5 and p99 < 50 and bad == 0 else "MISSED") + (f" ({bad} non-2xx responses)" if bad else ""))
PY
