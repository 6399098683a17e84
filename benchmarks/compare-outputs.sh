#!/usr/bin/env bash
# Behaviour unchanged (refactor issue 12): the same commands with two builds, the base ref's (default c72fd20, built in
# a temporary git worktree) and the current tree's, on the same input files; then screening.csv, summary.json,
# findings.csv and monitor.json compared byte for byte. One line per (dataset, file): identical, or DIFFERENT with the
# first differing line. Exit 1 on any difference or missing file. screening.csv's added `protocol` column is taken off
# the new side when the base has none (below).
#   benchmarks/compare-outputs.sh [BASE_REF]        ORDERS=100000 (size of dataset c), KEEP=1 keeps the scratch folder
# Datasets (inputs generated once, with the base build):
#   paper-<seed> (two seeds): `synth paper`: orders, conditions, reports, reviews; the paper's intervention recorded
#   orders-<N>: `synth orders --rows N` (orders only), plus, so that every output exists: reports.csv for its sacrum/
#     coccyx MRIs (report texts and review rows taken in turn from the paper dataset), reviews for every 4th of them,
#     conditions (the paper's, patient ids mapped onto this dataset's) and an intervention for all departments.
# Per dataset and build: init, import, intervention add, screen --screening-log, analyze --out, report --out,
# monitor --json. Only public commands and options (the contracts) are used. Not compared: report.html,
# education-deck.pptx and department-feedback.docx carry the time of the run (the CLI reads the system clock and has
# no option to fix it), and console output names the workspace paths.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base_ref="${1:-c72fd20}"
orders_rows="${ORDERS:-100000}"
seeds=(20180630 4242)
# shellcheck source=lib-builds.sh
source "$root/benchmarks/lib-builds.sh"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/iv-compare.XXXXXX")"
cleanup() {
  remove_base_tree "$tmp/base"
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
work="$tmp/work"
mkdir -p "$work"
started=$(date +%s.%N)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

base_tree "$base_ref" "$tmp/base"
build_base "$tmp/base" "$tmp/base-build.log"
build_current "$tmp/new-build.log"

failed=0
# step LABEL COMMAND...: runs it, appends its output to $log, prints its elapsed time; a failure is reported and
# counted (its outputs will be missing), not fatal, so the other side still runs.
step() {
  local label="$1" t0 rc=0; shift
  t0=$(date +%s.%N)
  echo "\$ $*" >> "$log"
  "$@" >> "$log" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    printf '  %6s s  %s\n' "$(elapsed_since "$t0")" "$label"
  else
    printf '  %6s s  %s FAILED (exit %s), see below\n' "$(elapsed_since "$t0")" "$label" "$rc"
    tail -n 15 "$log" | sed 's/^/    | /'
    failed=1
  fi
}

# ---- Inputs, once, with the base build.
log="$work/inputs.log"
echo "inputs (base build):"
for seed in "${seeds[@]}"; do
  step "synth paper --seed $seed" "$BASE_EXE" synth paper --seed "$seed" --out "$work/in/paper-$seed"
done
ds_orders="orders-$orders_rows"
in_orders="$work/in/$ds_orders"
mkdir -p "$in_orders"
step "synth orders --rows $orders_rows" "$BASE_EXE" synth orders --rows "$orders_rows" --out "$in_orders/orders.csv"
step "reports, reviews and conditions for $ds_orders" python3 - "$in_orders" "$work/in/paper-${seeds[0]}" <<'PY'
import csv, re, sys
out, paper = sys.argv[1], sys.argv[2]
# Sacrum/coccyx MRIs by name (the protocol decides what is a target; this only gives those orders a report).
target = re.compile(r"^MRI? .*(SACR|COCC)", re.I)
reports = [r["report_text"] for r in csv.DictReader(open(f"{paper}/reports.csv", newline=""))]
reviews = list(csv.DictReader(open(f"{paper}/reviews.csv", newline="")))
with open(f"{out}/orders.csv", newline="") as f, open(f"{out}/reports.csv", "w", newline="") as rf, \
        open(f"{out}/reviews.csv", "w", newline="") as vf:
    rw = csv.writer(rf, lineterminator="\n")
    vw = csv.writer(vf, lineterminator="\n")
    rw.writerow(["order_id", "accession", "report_text", "finalized_at"])
    vw.writerow(list(reviews[0].keys()))
    n = 0
    for o in csv.DictReader(f):
        if o["status"] != "completed" or not target.search(o["procedure_name"]):
            continue
        rw.writerow([o["order_id"], o["accession"], reports[n % len(reports)], o["performed_at"] or o["ordered_at"]])
        if n % 4 == 0:
            v = dict(reviews[(n // 4) % len(reviews)])
            v["order_id"] = o["order_id"]
            vw.writerow(list(v.values()))
        n += 1
# The paper's conditions on this dataset's patients: P00012 -> P00000012.
with open(f"{paper}/conditions.csv", newline="") as f, open(f"{out}/conditions.csv", "w", newline="") as cf:
    rows = csv.reader(f)
    w = csv.writer(cf, lineterminator="\n")
    w.writerow(next(rows))
    for row in rows:
        row[0] = "P" + row[0][1:].zfill(8)
        w.writerow(row)
print(f"{n} reports, {(n + 3) // 4} reviews")
PY
sed -n 's/^\([0-9]* reports.*\)/    \1/p' "$log"

# ---- The same commands with each build. $1: dataset, $2: side (base/new), $3: exe; the dataset's windows below.
pipeline() {
  local ds="$1" side="$2" exe="$3" in="$work/in/$1" dir="$work/$1/$2"
  local ws="$dir/ws" out="$dir/out"
  mkdir -p "$out"
  log="$dir/commands.log"
  echo "$ds, $side build:"
  step "init" "$exe" init --workspace "$ws"
  step "import" "$exe" import --workspace "$ws" --orders "$in/orders.csv" --conditions "$in/conditions.csv" \
    --reports "$in/reports.csv" --reviews "$in/reviews.csv"
  if [ "${ds%%-*}" = paper ]; then
    step "intervention add" "$exe" intervention add --workspace "$ws" --date 2018-06-30 --kind education \
      --departments "Family Medicine" --note "audit results presented to the ordering clinicians" --protocol sacrum-mri-lbp
    windows=(--period 2013-07-01..2017-06-30 --intervention 2018-06-30 --follow-up 2018-07-01..2018-09-30)
  else
    step "intervention add" "$exe" intervention add --workspace "$ws" --date 2017-01-01 --kind alert \
      --note "point-of-order alert for all departments" --protocol sacrum-mri-lbp
    windows=(--period 2013-01-01..2016-12-31 --intervention 2017-01-01 --follow-up 2017-01-01..2017-12-31)
  fi
  step "screen" "$exe" screen --workspace "$ws" --screening-log "$out/screen/screening.csv"
  step "analyze --out" "$exe" analyze --workspace "$ws" "${windows[@]}" --out "$out/analyze"
  step "report --out" "$exe" report --workspace "$ws" "${windows[@]}" --out "$out/report"
  step "monitor --json" "$exe" monitor --workspace "$ws" --json "$out/monitor/monitor.json"
}

datasets=()
for seed in "${seeds[@]}"; do datasets+=("paper-$seed"); done
datasets+=("$ds_orders")
for ds in "${datasets[@]}"; do
  pipeline "$ds" base "$BASE_EXE"
  pipeline "$ds" new "$NEW_EXE"
done

# ---- Byte for byte. compare LABEL BASE_FILE NEW_FILE: one line (and the first differing line of each side); 1 if not identical.
compare() {
  local label="$1" a="$2" b="$3" says line
  if [ ! -f "$a" ] || [ ! -f "$b" ]; then
    echo "$label MISSING in $([ -f "$a" ] || echo -n 'base ')$([ -f "$b" ] || echo -n 'new')"
    return 1
  fi
  if cmp -s "$a" "$b"; then
    echo "$label identical ($(wc -c < "$a") bytes)"
    return 0
  fi
  # cmp says "A B differ: byte N, line L", or "cmp: EOF on A after byte N, line L" when one is a prefix of the other.
  says=$(cmp "$a" "$b" 2>&1 | head -n 1 || true)
  line=$(echo "$says" | sed -n 's/.* line \([0-9]*\).*/\1/p')
  case "$says" in
    *"EOF on $a"*) says="base ends after line ${line:-0}"; line=$(( ${line:-0} + 1 ));;
    *"EOF on $b"*) says="new ends after line ${line:-0}"; line=$(( ${line:-0} + 1 ));;
    *) says="${says##*differ: }";;
  esac
  echo "$label DIFFERENT at line $line ($says)"
  echo "    base: $(sed -n "${line}p" "$a" | cut -c1-300)"
  echo "    new:  $(sed -n "${line}p" "$b" | cut -c1-300)"
  return 1
}

# screening.csv gained a trailing `protocol` column (issue 17): against a base without it, the new side is compared
# with that column taken off (every row of a one-protocol run ends with ",sacrum-mri-lbp"), so the rest must be
# byte for byte the base's.
without_protocol_column() {
  local base="$1" new="$2"
  if [ -f "$base" ] && [ -f "$new" ] && ! head -n 1 "$base" | grep -q ',protocol$' && head -n 1 "$new" | grep -q ',protocol$'; then
    sed '1s/,protocol$//; 2,$s/,sacrum-mri-lbp$//' "$new" > "$new.without-protocol"
    echo "$new.without-protocol"
  else
    echo "$new"
  fi
}

files=(screen/screening.csv
  analyze/screening.csv analyze/summary.json analyze/findings.csv analyze/monitor.json
  report/screening.csv report/summary.json report/findings.csv report/monitor.json
  monitor/monitor.json)
echo
echo "comparison (base $base_ref vs current tree):"
different=0
for ds in "${datasets[@]}"; do
  for f in "${files[@]}"; do
    new_file="$work/$ds/new/out/$f"
    [ "${f##*/}" = screening.csv ] && new_file="$(without_protocol_column "$work/$ds/base/out/$f" "$new_file")"
    compare "$(printf '%-16s %-22s' "$ds" "$f")" "$work/$ds/base/out/$f" "$new_file" || different=1
  done
done
echo "total: $(elapsed_since "$started") s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$different" = 0 ] && [ "$failed" = 0 ]; then
  echo "ALL IDENTICAL"
else
  echo "DIFFERENCES FOUND"
  exit 1
fi
