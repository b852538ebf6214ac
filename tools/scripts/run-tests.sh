#!/usr/bin/env bash
# Runs every suite (the solution's tests, the boot stage's ctest, the nano gate) even if one fails,
# then prints the totals as the last line: "N passed, M failed, K skipped". Exit 1 on any failure.
# A suite that exits non-zero without reporting a failed test counts as one failed test, so that a
# crash or a build error can never hide behind green totals.
set -u
cd "$(dirname "$0")/../.."
logs=out/test-logs
mkdir -p "$logs"
passed=0; failed=0; skipped=0; status=0

count() { # suite-name exit-code log
  local name=$1 code=$2 log=$3 p=0 f=0 s=0
  case $name in
    dotnet)
      read -r p f s < <(awk '/^(Passed|Failed)!/ {
          for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
            if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
        END { print p+0, f+0, s+0 }' "$log") ;;
    ctest)
      read -r p f < <(awk '/tests passed, .* tests failed out of/ { f = $4; t = $NF; p = t - f } END { print p+0, f+0 }' "$log") ;;
    tap)
      read -r p f s < <(awk '/^# pass / { p = $3 } /^# fail / { f = $3 } /^# skipped / { s = $3 } END { print p+0, f+0, s+0 }' "$log") ;;
    fuzz)
      # one test per target: passed when it found no crash (no disagreement for the differential one)
      read -r p f < <(awk '/^(fuzz_|differential)/ { if ($NF == 0) p++; else f++ } END { print p+0, f+0 }' "$log") ;;
    nano-gate)
      read -r p f < <(awk '/^nano-gate: [0-9]+ passed, [0-9]+ failed$/ { p = $2; f = $4 } END { print p+0, f+0 }' "$log") ;;
  esac
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "run-tests: $name exited $code without reporting a failed test (see $log)"
    f=1
  fi
  [ "$code" -ne 0 ] && status=1
  echo "run-tests: $name: $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

echo "== dotnet test (Agent.sln, Host configuration)"
# -v q keeps MSBuild quiet; the console logger at "minimal" still prints each failed test with its message
dotnet test Agent.sln -c Host --no-build --nologo -v q --logger "console;verbosity=minimal" 2>&1 | tee "$logs/dotnet.log"
count dotnet "${PIPESTATUS[0]}" "$logs/dotnet.log"

echo "== ctest (Bootloader)"
ctest --test-dir Bootloader/build --output-on-failure 2>&1 | tee "$logs/ctest.log"
count ctest "${PIPESTATUS[0]}" "$logs/ctest.log"
# the full sweeps (thousands of points; the quick and planted-bug runs have fewer): one image, then firmware+application
grep -h "^power-cut points: [0-9]\{4,\}" Bootloader/build/Testing/Temporary/LastTest.log 2>/dev/null | head -1 | sed 's/^/run-tests: boot stage sweep: /' || true
grep -h "^firmware+application power-cut points: [0-9]\{4,\}" Bootloader/build/Testing/Temporary/LastTest.log 2>/dev/null | head -1 | sed 's/^/run-tests: boot stage sweep: /' || true
grep -h "^adversarial boots" Bootloader/build/Testing/Temporary/LastTest.log 2>/dev/null | head -1 | sed 's/^/run-tests: boot stage adversarial sweep: /' || true

echo "== ctest (Bootloader, AddressSanitizer + UndefinedBehaviorSanitizer)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir Bootloader/build-asan --output-on-failure 2>&1 | tee "$logs/ctest-asan.log"
count ctest "${PIPESTATUS[0]}" "$logs/ctest-asan.log"

echo "== fuzzing, short budget (make fuzz runs 10^6 per target)"
FUZZ_RUNS=${TEST_FUZZ_RUNS:-20000} DIFF_RUNS=${TEST_DIFF_RUNS:-3000} tools/scripts/fuzz.sh 2>&1 | tee "$logs/fuzz.log"
count fuzz "${PIPESTATUS[0]}" "$logs/fuzz.log"

echo "== dashboard in a real browser (Playwright, Debian's chromium, headless)"
(cd Tests/Dashboard && node --test --test-reporter=tap dashboard.test.mjs) 2>&1 | tee "$logs/dashboard.log"
count tap "${PIPESTATUS[0]}" "$logs/dashboard.log"

echo "== chip-emu serve, driven by an independent Python client"
python3 Tests/ChipServe/serve_client.py 2>&1 | tee "$logs/chip-serve.log"
count tap "${PIPESTATUS[0]}" "$logs/chip-serve.log"

echo "== nano gate (make check-nano)"
dotnet out/nano-gate/nano-gate.dll --root . 2>&1 | tee "$logs/nano-gate.log"
count nano-gate "${PIPESTATUS[0]}" "$logs/nano-gate.log"

# The failed tests by name, just above the totals: CI keeps only the tail of the output.
if [ "$failed" -ne 0 ]; then
  echo "== failed"
  # each failed test with the first line of its error message
  awk '/^[[:space:]]*Failed [A-Za-z_][A-Za-z0-9_.]*(\(.*\))? \[/ { sub(/^[[:space:]]*/, ""); print "run-tests: failed: dotnet: " $0; want = 1; next }
       want && /Error Message:/ { next }
       want && NF { sub(/^[[:space:]]*/, ""); print "run-tests:   " substr($0, 1, 300); want = 0 }' "$logs/dotnet.log" 2>/dev/null | head -40
  grep -h -E "^[[:space:]]*[0-9]+ - .* \((Failed|SEGFAULT|Subprocess aborted|Timeout|Child aborted|Exception)" "$logs/ctest.log" "$logs/ctest-asan.log" 2>/dev/null | sed 's/^[[:space:]]*/run-tests: failed: ctest: /' | head -20
  grep -h "^not ok" "$logs/dashboard.log" "$logs/chip-serve.log" 2>/dev/null | sed 's/^/run-tests: failed: tap: /' | head -20
  grep -h -E "^(fuzz_|differential)" "$logs/fuzz.log" 2>/dev/null | awk '$NF != 0' | sed 's/^/run-tests: failed: fuzz: /'
  grep -h "^nano-gate: FAIL" "$logs/nano-gate.log" 2>/dev/null | sed 's/^/run-tests: failed: /' | head -20
fi
[ "$failed" -ne 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
