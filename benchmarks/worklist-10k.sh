#!/usr/bin/env bash
# Opening the review worklist of EXAMS included exams (default 10,000) in `serve --workspace`: a workspace of that many
# sacrum MRIs for low back pain (half of them reviewed), an admin signed in with curl, then the worklist page fetched
# ROUNDS times (first page, a filtered page, a late page). Target (issue 6): under one second.
#   benchmarks/worklist-10k.sh [EXAMS] [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exams="${1:-10000}"
rounds="${2:-5}"
out="$root/benchmarks/out/worklist-$exams"
port=$(( 20000 + RANDOM % 20000 ))
cli="$root/imaging-value"
"$cli" --help >/dev/null
rm -rf "$out" && mkdir -p "$out"

awk -v n="$exams" 'BEGIN {
  srand(6); print "order_id,patient_id,ordered_at,performed_at,procedure_name,indication,ordering_provider,ordering_department,patient_sex,patient_birth_date,status";
  split("Family Medicine,Internal Medicine,Orthopedics,Emergency,Rheumatology", dept, ",");
  for (i = 1; i <= n; i++) {
    d = sprintf("%04d-%02d-%02d", 2013 + int(rand() * 4), 1 + int(rand() * 12), 1 + int(rand() * 28));
    printf "W%06d,P%06d,%sT09:00,%sT11:00,MRI SACRUM WO CONTRAST,low back pain for %d months,Dr %d,%s,%s,%d-05-20,completed\n",
      i, i, d, d, 1 + int(rand() * 12), int(rand() * 80), dept[1 + int(rand() * 5)], (rand() < 0.65 ? "F" : "M"), 1940 + int(rand() * 60);
  } }' > "$out/orders.csv"
awk -v n="$exams" 'BEGIN {
  srand(7); print "order_id,reviewer,major_finding,minor_finding,incidental_finding,finding_notes,management_change,review_role,reviewed_at";
  for (i = 1; i <= n; i += 2) printf "W%06d,resident,%s,no,yes,,none,primary,2017-01-02T10:00\n", i, (rand() < 0.03 ? "yes" : "no");
  }' > "$out/reviews.csv"

"$cli" init --workspace "$out/ws" 2>/dev/null
"$cli" import --workspace "$out/ws" --orders "$out/orders.csv" --reviews "$out/reviews.csv" >/dev/null 2>&1
"$cli" screen --workspace "$out/ws"
printf 'Benchmark-Password-1\n' | "$cli" user add --workspace "$out/ws" --name bench --role admin

"$cli" serve --workspace "$out/ws" --urls "http://127.0.0.1:$port" --dev > "$out/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -s -o /dev/null "http://127.0.0.1:$port/signin" && break
  sleep 0.5
done

jar="$out/cookies.txt"
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/signin" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -n 1)
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "Name=bench" --data-urlencode "Password=Benchmark-Password-1" \
  --data-urlencode "__RequestVerificationToken=$token" "http://127.0.0.1:$port/signin")
[ "$status" = 302 ] || { echo "sign-in failed ($status)"; exit 1; }

shown=$(curl -s -b "$jar" "http://127.0.0.1:$port/" | grep -o '<caption>[^<]*' | head -n 1 | sed 's/<caption>//')
echo "worklist: $shown"
for path in "/?filter=all&p=1" "/?filter=unreviewed&p=1" "/?filter=all&p=150"; do
  times=()
  for _ in $(seq 1 "$rounds"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -b "$jar" "http://127.0.0.1:$port$path")")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf 'GET %-26s median %.3f s of %d (all: %s) (target < 1 s)\n' "$path" "$median" "$rounds" "${times[*]}"
done
