#!/usr/bin/env bash
# make bench, boot stage part: code size of the portable core (no crypto: SHA-256 and ECDSA are the
# port's) built with -Os for rv32imc/ilp32, the ESP32-C3's instruction set, with Debian's
# riscv64-unknown-elf-gcc; printed as benchmark-table rows against the 28 KiB the ESP32's
# second-stage bootloader region (0x1000..0x8000) offers.
set -euo pipefail
cd "$(dirname "$0")/.."
cc=riscv64-unknown-elf-gcc
if ! command -v $cc >/dev/null; then
  echo "bootstage  code size              (skipped: $cc not installed; 'make deps' installs gcc-riscv64-unknown-elf)"
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in src/*.c; do
  $cc -march=rv32imc -mabi=ilp32 -Os -ffreestanding -ffunction-sections -fdata-sections -Wall -Wextra -Werror \
      -Iinclude -Itools/freestanding -fstack-usage -c "$f" -o "$out/$(basename "$f" .c).o"
done
read -r text data bss < <(riscv64-unknown-elf-size "$out"/*.o | awk 'NR>1 {t+=$1; d+=$2; b+=$3} END {print t, d, b}')
stack=$(cat "$out"/*.su | awk '{ if ($(NF-1) > m) m = $(NF-1) } END { print m }')
row() { printf '%-10s %-22s %-14s %12.1f %-28s %12.1f %8.2f\n' bootstage "$1" "$2" "$3" "$4" "$5" "$(awk "BEGIN{print $3/$5}")"; }
row "core rv32imc -Os" ".text bytes" "$text" "bootloader region bytes" 28672
row "core rv32imc -Os" ".data bytes" "$data" "bootloader region bytes" 28672
row "core rv32imc -Os" ".bss bytes" "$bss" "header buffer bytes" 4096
row "core rv32imc -Os" "max frame bytes" "$stack" "copy buffer bytes" 1024
