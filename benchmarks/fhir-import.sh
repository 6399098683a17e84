#!/usr/bin/env bash
# import --fhir throughput and memory: N ServiceRequests as Bulk Data NDJSON (default 1,000,000), with their patients
# and practitioners in a second file. Baseline in the same run: jq -c '{id, status}' over the same file (target: the
# import takes at most 3x jq's time), elapsed and CPU (user+sys) each. Peak RSS from /usr/bin/time -v, for N and for
# N/10: the same for both when memory is flat (what resources give is kept in SQLite's temporary file, not the heap).
#   benchmarks/fhir-import.sh [N]     (IV_EXE=/path measures another build, e.g. an older one for a before/after)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-1000000}"
out="${IV_OUT:-$root/benchmarks/out/fhir}"
mkdir -p "$out"
command -v jq >/dev/null 2>&1 || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq jq >/dev/null; }
cli="${IV_EXE:-$root/imaging-value}"   # IV_EXE=/path measures another build
"$cli" --help >/dev/null   # build once, outside the timings

generate() { # $1 orders, $2 folder
  mkdir -p "$2"
  python3 - "$1" "$2" <<'PY'
import sys, json
n, folder = int(sys.argv[1]), sys.argv[2]
patients = min(n, 50000)
with open(f"{folder}/ServiceRequest.000.ndjson", "w") as f:
    for i in range(n):
        f.write(json.dumps({"resourceType": "ServiceRequest", "id": f"sr{i}",
            "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PLAC"}]}, "value": f"PL{i}"}],
            "status": "completed" if i % 10 else "revoked", "intent": "order",
            "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "72195"}], "text": "MRI SACRUM WO"},
            "subject": {"reference": f"Patient/p{i % patients}"}, "authoredOn": f"2016-{i % 12 + 1:02d}-{i % 28 + 1:02d}T14:09:00-05:00",
            "requester": {"reference": f"Practitioner/d{i % 500}"},
            "reasonCode": [{"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50"}], "text": f"low back pain for {i % 30 + 1} days"}]},
            separators=(",", ":")) + "\n")
with open(f"{folder}/people.ndjson", "w") as f:
    for p in range(patients):
        f.write(json.dumps({"resourceType": "Patient", "id": f"p{p}", "gender": "female" if p % 2 else "male", "birthDate": f"19{50 + p % 40}-02-14",
            "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}, "value": f"MRN{p}"}]}, separators=(",", ":")) + "\n")
    for d in range(500):
        f.write(json.dumps({"resourceType": "Practitioner", "id": f"d{d}", "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": f"{1000000000 + d}"}]}) + "\n")
PY
}

peak_kb() { grep "Maximum resident" "$1" | awk '{print $NF}'; }
cpu_s() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$1"; }

run() { # $1 orders
  local folder="$out/export-$1"
  [ -s "$folder/ServiceRequest.000.ndjson" ] || generate "$1" "$folder"
  local file="$folder/ServiceRequest.000.ndjson"
  rm -rf "$out/ws-$1"
  "$cli" init --workspace "$out/ws-$1" --time-zone America/New_York 2>/dev/null
  local t0 t1 t2
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$out/jq-$1.log" jq -c '{id, status}' "$file" > /dev/null
  t1=$(date +%s.%N)
  /usr/bin/time -v "$cli" import --workspace "$out/ws-$1" --fhir "$folder" 2>"$out/import-$1.log"
  t2=$(date +%s.%N)
  local jq_s import_s
  jq_s=$(echo "$t1 - $t0" | bc -l); import_s=$(echo "$t2 - $t1" | bc -l)
  local jq_cpu import_cpu
  jq_cpu=$(cpu_s "$out/jq-$1.log"); import_cpu=$(cpu_s "$out/import-$1.log")
  printf "%'d orders (%s MB): jq %.1f s (%.1f s CPU), import --fhir %.1f s (%.1f s CPU), ratio %.2f (CPU %.2f), import peak RSS %d MB\n" \
    "$1" "$(du -m "$file" | cut -f1)" "$jq_s" "$jq_cpu" "$import_s" "$import_cpu" "$(echo "$import_s / $jq_s" | bc -l)" \
    "$(echo "$import_cpu / $jq_cpu" | bc -l)" "$(( $(peak_kb "$out/import-$1.log") / 1024 ))"
  grep "^fhir: orders" "$out/import-$1.log"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
run $((n / 10))
run "$n"
echo "after: $(uptime)"
