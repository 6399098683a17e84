#!/usr/bin/env bash
# The property-based fuzz suite (tests/*/Fuzz, CsCheck) with many more cases than ./test runs: the CSV reader and
# importer, the column map and protocol loaders, the CDS hook request and feedback readers.
# Prints per property: cases, seconds, slowest case, most bytes one case allocated; per test project: wall time,
# peak RSS (/usr/bin/time -v) and failures (each with the CsCheck seed that reproduces it: CsCheck_Seed=...).
#   benchmarks/fuzz-long.sh [ITERATIONS]      cases per property (default 5000; ./test runs 60-100)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${IV_OUT:-$root/benchmarks/out/fuzz}"
iterations="${1:-5000}"
mkdir -p "$out" && rm -f "$out"/*
cd "$root"
dotnet build ImagingValue.slnx -c Debug -nologo -v quiet -clp:ErrorsOnly >/dev/null || { echo "build failed"; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $iterations cases per property"
status=0
for project in ImagingValue.Import.Tests ImagingValue.Cds.Tests; do
  IV_FUZZ_ITERATIONS="$iterations" IV_FUZZ_LOG="$out/properties.tsv" /usr/bin/time -v -o "$out/time-$project" \
    dotnet test "tests/$project" -c Debug --no-build -nologo --filter "FullyQualifiedName~.Fuzz." > "$out/test-$project.log" 2>&1 || status=1
  wall="$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$out/time-$project")"
  rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time-$project")"
  failed="$(grep -c '^  Failed ' "$out/test-$project.log")"
  echo "$project: wall $wall, peak RSS $((rss / 1024)) MB, $failed failed"
  grep -E '^  Failed |Set seed|^---- ' "$out/test-$project.log" | cut -c1-200
done
printf '\n%-18s %8s %9s %14s %16s\n' "property" "cases" "seconds" "slowest ms" "most MB/case"
awk -F'\t' '{ printf "%-18s %8d %9.1f %14.1f %16.1f\n", $1, $2, $3, $4, $5 / 1048576; cases += $2 }
  END { printf "%-18s %8d\n", "total", cases }' "$out/properties.tsv"
exit $status
