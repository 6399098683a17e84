#!/usr/bin/env bash
# Peak memory of the analysis (issue 16, "everything streams"): `report` on a workspace of ROWS `synth orders`, first
# on a workspace never screened (screening, then the audit) and then again (the stored run reused), and
# `analyze --json` alone (the audit without the reports), with the base ref's CLI and the current tree's on copies of
# one imported workspace, interleaved base, new. Each line: elapsed s, user CPU s, system CPU s, peak RSS MB
# (/usr/bin/time "%e %U %S %M") and the load average before it (the machine is shared: elapsed drifts with the load,
# peak RSS much less). Then summary.json and screening.csv of each build are compared byte for byte.
#   benchmarks/report-memory.sh [BASE_REF]       ROWS=1000000, BASE_CLI=/path (instead of building BASE_REF),
#   IV_OUT=DIR (inputs and workspaces; default benchmarks/out/report-memory, kept so a second run reuses the input)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base_ref="${1:-main}"
rows="${ROWS:-1000000}"
out="${IV_OUT:-$root/benchmarks/out/report-memory}"
# shellcheck source=lib-builds.sh
source "$root/benchmarks/lib-builds.sh"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null; }
mkdir -p "$out"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/iv-report-memory.XXXXXX")"
cleanup() { remove_base_tree "$tmp/base"; rm -rf "$tmp"; }
trap cleanup EXIT

if [ -n "${BASE_CLI:-}" ]; then BASE_EXE="$BASE_CLI"; else base_tree "$base_ref" "$tmp/base"; build_base "$tmp/base" "$tmp/base-build.log"; fi
build_current "$tmp/new-build.log"

csv="$out/orders-$rows.csv"
[ -f "$csv" ] || "$BASE_EXE" synth orders --rows "$rows" --out "$csv" >/dev/null
if [ ! -f "$out/ws-$rows/imaging-value.db" ]; then
  rm -rf "$out/ws-$rows"
  "$BASE_EXE" init --workspace "$out/ws-$rows" >/dev/null
  "$BASE_EXE" import --workspace "$out/ws-$rows" --orders "$csv" >/dev/null
fi

windows=(--period 2013-01-01..2016-12-31 --follow-up 2017-01-01..2017-12-31)
# measure SIDE LABEL COMMAND...: one line of figures.
measure() {
  local side="$1" label="$2"; shift 2
  local load; load="$(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" > "$tmp/stdout"
  read -r e u s m < "$tmp/time"
  printf '%-4s %-28s %7.1f s elapsed %7.1f s user %5.1f s sys %6d MB peak   (load %s)\n' "$side" "$label" "$e" "$u" "$s" "$((m / 1024))" "$load"
}

echo "report memory, $rows orders; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for side in base new; do
  rm -rf "$out/$side" && mkdir -p "$out/$side" && cp -r "$out/ws-$rows" "$out/$side/ws"
done
for step in fresh reused analyze; do
  for side in base new; do
    exe="$BASE_EXE"; [ "$side" = new ] && exe="$NEW_EXE"
    case "$step" in
      fresh) measure "$side" "report (screens first)" "$exe" report --workspace "$out/$side/ws" "${windows[@]}" --out "$out/$side/fresh" ;;
      reused) measure "$side" "report (run reused)" "$exe" report --workspace "$out/$side/ws" "${windows[@]}" --out "$out/$side/reused" ;;
      analyze) measure "$side" "analyze --json (run reused)" "$exe" analyze --workspace "$out/$side/ws" "${windows[@]}" --json "$out/$side/analyze.json" ;;
    esac
  done
done

different=0
for f in fresh/summary.json fresh/screening.csv reused/summary.json reused/screening.csv analyze.json; do
  if cmp -s "$out/base/$f" "$out/new/$f"; then echo "$f identical"; else echo "$f DIFFERENT"; different=1; fi
done
exit "$different"
