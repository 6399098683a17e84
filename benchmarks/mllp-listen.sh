#!/usr/bin/env bash
# listen throughput: messages stored per second from one mllp_send connection, each acknowledged after its commit
# (target: at least 1,000 a second). Each acknowledgement waits for one fsync of the write-ahead log (strace -c -e fsync
# on listen counts one per message), so the figure depends on the disk as much as on the code; the machine's load is
# printed with it.
#   benchmarks/mllp-listen.sh [MESSAGES] [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
messages="${1:-10000}"
rounds="${2:-3}"
out="${IV_OUT:-$root/benchmarks/out/mllp}"
mkdir -p "$out"
command -v mllp_send >/dev/null 2>&1 || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq python3-hl7 >/dev/null; }
cli="$root/imaging-value"
"$cli" --help >/dev/null   # build once, outside the timings

# Half order messages, half results for the same orders, as a RIS sends them.
python3 - "$messages" "$out/feed.mllp" <<'PY'
import sys
n, path = int(sys.argv[1]) // 2, sys.argv[2]
with open(path, "wb") as f:
    for i in range(n):
        m = (f"MSH|^~\\&|RIS|HOSP|IV|QI|20160307141000||ORM^O01|O{i}|P|2.5\rPID|1||MRN{i % 1700}^^^HOSP^MR||Doe^Jane||19620214|F\r"
             f"PV1|1|O|SPINE^^^HOSP\rORC|NW|PL{i}|ACC{i}||SC||||20160307140900|||1234^Smith^Ann\r"
             f"OBR|1|PL{i}|ACC{i}|72195^MRI SACRUM WO|||||||||||||||||||||||||||^low back pain for {i % 30 + 1} days\rDG1|1||M54.50^LBP^I10\r")
        f.write(b"\x0b" + m.encode() + b"\x1c\r")
    for i in range(n):
        m = (f"MSH|^~\\&|RIS|HOSP|IV|QI|20160308120000||ORU^R01|R{i}|P|2.5\rPID|1||MRN{i % 1700}^^^HOSP^MR||Doe^Jane||19620214|F\r"
             f"OBR|1|PL{i}|ACC{i}|72195^MRI SACRUM WO|||20160308101500|||||||||||||||20160308113000|||F\r"
             f"OBX|1|TX|||FINDINGS: Normal sacrum.\rOBX|2|TX|||IMPRESSION: No acute finding.\r")
        f.write(b"\x0b" + m.encode() + b"\x1c\r")
PY
echo "feed: $out/feed.mllp ($messages messages, $(du -k "$out/feed.mllp" | cut -f1) KB); machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

port=$((20000 + RANDOM % 20000))
for round in $(seq 1 "$rounds"); do
  rm -rf "$out/ws"
  "$cli" init --workspace "$out/ws" 2>/dev/null
  "$cli" listen --workspace "$out/ws" --mllp "127.0.0.1:$port" 2>"$out/listen.log" &
  pid=$!
  for _ in $(seq 1 100); do grep -q "MLLP on" "$out/listen.log" 2>/dev/null && break; sleep 0.1; done
  t0=$(date +%s.%N)
  mllp_send --file "$out/feed.mllp" --port "$port" 127.0.0.1 > "$out/acks.txt"
  t1=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" || true
  accepted=$(grep -c "MSA|AA" "$out/acks.txt" || true)
  rate=$(echo "$messages / ($t1 - $t0)" | bc)
  echo "round $round: $accepted of $messages acknowledged AA in $(printf '%.2f' "$(echo "$t1 - $t0" | bc)") s: $rate messages/s"
done
