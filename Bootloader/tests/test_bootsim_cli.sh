#!/usr/bin/env bash
# bootsim refuses wrong input with one clear line and a non-zero exit (issue 17, C3): before, `init --seq abc`
# or `--seq -1` (counter 2^64-1) and a non-PEM --pub succeeded silently, and `boot --cut-after abc` was ignored.
# Usage: test_bootsim_cli.sh BOOTSIM FIXTURES_DIR
set -u
bootsim=$1; fixtures=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
vendor=$(awk '/^vendor/ { print $2 }' "$fixtures/ids.txt"); class=$(awk '/^class/ { print $2 }' "$fixtures/ids.txt")
ids="--vendor-id $vendor --class-id $class"
failures=0
expect_refusal() { # what, expected text, command...
  local what=$1 text=$2; shift 2
  local out; out=$("$@" 2>&1); local code=$?
  if [ "$code" -eq 0 ] || ! grep -q -- "$text" <<<"$out"; then
    echo "FAIL $what: exit $code, output: $out"; failures=$((failures + 1))
  fi
}
expect_refusal "--seq abc" "--seq: a whole number" "$bootsim" init "$work/f1" --pub "$fixtures/vendor.pub.pem" $ids --seq abc
expect_refusal "--seq -1" "--seq: a whole number" "$bootsim" init "$work/f2" --pub "$fixtures/vendor.pub.pem" $ids --seq -1
expect_refusal "--seq 2^64" "--seq: a whole number" "$bootsim" init "$work/f3" --pub "$fixtures/vendor.pub.pem" $ids --seq 18446744073709551616
expect_refusal "non-PEM --pub" "--pub: not a P-256" "$bootsim" init "$work/f4" --pub "$fixtures/old.bin" $ids
expect_refusal "unknown option" "unknown option --seqq" "$bootsim" init "$work/f5" --pub "$fixtures/vendor.pub.pem" $ids --seqq 3
"$bootsim" init "$work/ok" --pub "$fixtures/vendor.pub.pem" $ids --seq 6 --image "$fixtures/old.bin" >/dev/null || { echo "FAIL: a correct init was refused"; failures=$((failures + 1)); }
expect_refusal "--cut-after abc" "--cut-after: a whole number" "$bootsim" boot "$work/ok" --cut-after abc
expect_refusal "--cut-after -5" "--cut-after: a whole number" "$bootsim" boot "$work/ok" --cut-after -5
expect_refusal "boot --tearr" "unknown option --tearr" "$bootsim" boot "$work/ok" --tearr
# --stats: the decision's line, then what the boot did (device-sim charges the boot's modeled time from it).
"$bootsim" stage "$work/ok" "$fixtures/v7.suit" >/dev/null || { echo "FAIL: staging v7 was refused"; failures=$((failures + 1)); }
out=$("$bootsim" boot "$work/ok" --stats 2>&1)
if ! grep -q "^boot: installed deploy seq=7 (testing)$" <<<"$out" || ! grep -Eq "^flash: erases=[1-9][0-9]* pages=[1-9][0-9]* read=[1-9][0-9]* hashed=[1-9][0-9]* signatures=[1-9]$" <<<"$out"; then
  echo "FAIL boot --stats: $out"; failures=$((failures + 1))
fi
[ -f "$work/f1.cfg" ] && { echo "FAIL: a refused init left a flash config"; failures=$((failures + 1)); }
if [ "$failures" -eq 0 ]; then echo "test_bootsim_cli: all checks passed"; fi
exit $((failures > 0))
