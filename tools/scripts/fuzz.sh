#!/usr/bin/env bash
# make fuzz: every fuzz target for FUZZ_RUNS executions (default 1,000,000), one table:
# target, executions, coverage (edges), features, corpus, crashes. make test runs it with a short
# budget (FUZZ_RUNS=20000, DIFF_RUNS=3000 for the differential one). Needs the clang build in Bootloader/build-fuzz (make fuzz-build) and, for
# the differential target, out/bin/diff-fuzz (make build). Exit 1 on any crash or disagreement.
# A crash input is kept in out/fuzz/crashes/<target>/ and becomes a regression test in
# Bootloader/fuzz/regressions/ (replayed by make test).
set -u
cd "$(dirname "$0")/../.."
runs=${FUZZ_RUNS:-1000000}
out=out/fuzz
mkdir -p "$out"
status=0
rows=()
for target in fuzz_suit fuzz_state; do
  corpus="$out/corpus/$target"; crashes="$out/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  log="$out/$target.log"
  Bootloader/build-fuzz/$target -runs="$runs" -max_len=16384 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$corpus" "Bootloader/fuzz/corpus/${target#fuzz_}" >"$log" 2>&1
  code=$?
  execs=$(awk '/^stat::number_of_executed_units:/ { print $2 }' "$log" | tail -1)
  line=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line"); ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$line")
  found=$(find "$crashes" -type f | wc -l)
  if [ "$code" -ne 0 ] && [ "$found" -eq 0 ]; then found=1; fi
  [ "$found" -ne 0 ] && status=1
  rows+=("$(printf '%-12s %12s %8s %8s %8s %8s' "$target" "${execs:-0}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$found")")
done
if [ -x out/bin/diff-fuzz ]; then
  log="$out/diff-fuzz.log"
  out/bin/diff-fuzz --runs "${DIFF_RUNS:-$runs}" --fixtures Bootloader/build/fixtures --library Bootloader/build/libbs_diff.so --crashes "$out/crashes/diff" >"$log" 2>&1
  code=$?
  execs=$(sed -n 's/^diff-fuzz: executions: \([0-9]*\).*/\1/p' "$log" | tail -1)
  accepted=$(sed -n 's/.* accepted by both: \([0-9]*\).*/\1/p' "$log" | tail -1)
  disagree=$(sed -n 's/.* disagreements: \([0-9]*\).*/\1/p' "$log" | tail -1)
  [ "$code" -ne 0 ] && status=1
  rows+=("$(printf '%-12s %12s %8s %8s %8s %8s' "differential" "${execs:-0}" "-" "-" "${accepted:--}" "${disagree:-1}")")
fi
printf '%-12s %12s %8s %8s %8s %8s\n' target executions cov ft corpus crashes
printf '%s\n' "${rows[@]}"
echo "(differential: corpus = inputs both readers accepted, crashes = disagreements)"
exit $status
