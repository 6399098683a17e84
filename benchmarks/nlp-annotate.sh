#!/usr/bin/env bash
# Clinical text speed against grep (../shared/benchmarks/README.md): `nlp annotate` on ROWS realistic indications
# (one target each) versus `grep -o -n -w -F -i -f TRIGGERS SENTENCES` over the same sentences, where TRIGGERS is
# the phrase column of the NegEx trigger list. Target ratio <= 10. Also prints peak memory.
#   benchmarks/nlp-annotate.sh [ROWS]
#   IV_EXE=/path/to/imaging-value measures that CLI instead of ./imaging-value; IV_OUT=DIR puts inputs and workspaces there
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${1:-1000000}"
out="${IV_OUT:-$root/benchmarks/out/nlp}"   # IV_OUT: another folder for inputs and workspaces
mkdir -p "$out"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null; }
command -v bc >/dev/null || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq bc >/dev/null; }

# The CLI measured: IV_EXE (e.g. another build, for side-by-side.sh) or this tree's ./imaging-value (built when sources changed).
cli="${IV_EXE:-$root/imaging-value}"
"$cli" --help >/dev/null
orders="$out/orders-$rows.csv"
[ -f "$orders" ] || "$cli" synth orders --rows "$rows" --out "$orders" >/dev/null
# The indication column (8th) of the generated orders, one sentence per line; the target is its first word.
if [ ! -f "$out/targets-$rows.tsv" ]; then
  python3 - "$orders" "$out/targets-$rows.tsv" "$out/sentences-$rows.txt" <<'PY'
import csv, sys
with open(sys.argv[1], newline='') as f, open(sys.argv[2], 'w') as t, open(sys.argv[3], 'w') as s:
    t.write("id\tsentence\ttarget\n")
    for i, row in enumerate(csv.DictReader(f)):
        text = " ".join(row["indication"].split())
        t.write(f"{i}\t{text}\t{text.split(' ')[0]}\n")
        s.write(text + "\n")
PY
fi
# ../shared next to the checkout; from a git worktree elsewhere, next to the main checkout.
shared="$root/../shared"
[ -d "$shared" ] || shared="$(dirname "$(git -C "$root" rev-parse --path-format=absolute --git-common-dir)")/../shared"
cut -f1 "$shared/reference/negex-triggers/negex_triggers.txt" | tr -d '\r' | sed '/^$/d' > "$out/triggers.txt"

t0=$(date +%s.%N)
# Through a pipe: GNU grep writing straight to /dev/null stops at the first match.
grep -o -n -w -F -i -f "$out/triggers.txt" "$out/sentences-$rows.txt" | cat > /dev/null || true
t1=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$out/annotate.mem" "$cli" nlp annotate --in "$out/targets-$rows.tsv" --out "$out/annotated.tsv" 2>/dev/null
t2=$(date +%s.%N)
base=$(echo "$t1 - $t0" | bc -l); ours=$(echo "$t2 - $t1" | bc -l)
printf 'grep baseline %.2f s | nlp annotate %.2f s (%.0f rows/s) | ratio %.2f (target <= 10) | peak %d MB\n' \
  "$base" "$ours" "$(echo "$rows / $ours" | bc -l)" "$(echo "$ours / $base" | bc -l)" "$(( $(cat "$out/annotate.mem") / 1024 ))"
