#!/usr/bin/env bash
# Makes the boot-stage test fixtures with the real vendor tool: keys, deterministic images, and data
# sets (valid, wrongly signed, rollback, oversize). Usage: make-fixtures.sh UPDATE_TOOL OUTDIR
set -euo pipefail
tool=${1:?usage: make-fixtures.sh UPDATE_TOOL OUTDIR}
out=${2:?usage: make-fixtures.sh UPDATE_TOOL OUTDIR}
if [ ! -x "$tool" ]; then
  echo "make-fixtures: $tool not found: build it first ('make build' at the repository root)" >&2
  exit 1
fi
mkdir -p "$out"
cd "$out"

# Deterministic pseudo-random images: AES-CTR keystream of a fixed key (no randomness between runs).
image() { head -c "$2" /dev/zero | openssl enc -aes-128-ctr -K "$3" -iv 00000000000000000000000000000000 -nosalt > "$1"; }
image old.bin 204800 000102030405060708090a0b0c0d0e0f     # 200 KiB: the installed image (seq 6)
image new.bin 263144 0f0e0d0c0b0a09080706050403020100     # 257 KiB: not a whole number of sectors
image next.bin 100000 00112233445566778899aabbccddeeff    # a later update
image bench256k.bin 262144 101112131415161718191a1b1c1d1e1f   # benchmark images
image bench1m.bin 1048576 202122232425262728292a2b2c2d2e2f

"$tool" keygen --out vendor --force >/dev/null
"$tool" keygen --out other --force >/dev/null
common=(--vendor-domain vendor.example --class-name esp32-trustx)
"$tool" create --key vendor.key.pem --image new.bin --sequence 7 --version 1.7.0 "${common[@]}" --component deploy --out v7.suit >/dev/null
"$tool" create --key vendor.key.pem --image next.bin --sequence 8 --version 1.8.0 "${common[@]}" --component deploy --out v8.suit >/dev/null
"$tool" create --key other.key.pem --image new.bin --sequence 7 --version 1.7.0 "${common[@]}" --component deploy --out badsig.suit >/dev/null
"$tool" create --key vendor.key.pem --image new.bin --sequence 5 --version 1.5.0 "${common[@]}" --component deploy --out rollback.suit >/dev/null
"$tool" create --key vendor.key.pem --image new.bin --sequence 9 --version 1.9.0 "${common[@]}" --component nanoclr --out oversize.suit >/dev/null
"$tool" create --key vendor.key.pem --image new.bin --sequence 7 --version 1.7.0 --vendor-domain vendor.example --class-name other-board --component deploy --out wrongclass.suit >/dev/null
"$tool" create --key vendor.key.pem --image new.bin --sequence 7 --version 1.7.0 --vendor-domain other-vendor.example --class-name esp32-trustx --component deploy --out wrongvendor.suit >/dev/null

# A detached payload: the envelope alone, the image in its own file (the {sha256} in the URI is the file's digest).
"$tool" create --key vendor.key.pem --image new.bin --sequence 7 --version 1.7.0 "${common[@]}" --component deploy \
  --payload-uri 'https://updates.vendor.example/payloads/{sha256}' --payload-out v7-detached.bin --out v7-detached.suit >/dev/null
"$tool" create --key vendor.key.pem --image new.bin --sequence 7 --version 1.7.0 "${common[@]}" --component deploy \
  --payload-uri 'http://updates.vendor.example/p.bin' --payload-out v7-detached-http.bin --out v7-detached-http.suit >/dev/null

# Encrypted (ES-DH recipient): the boot stage sees the header, the agent stages the plaintext.
"$tool" keygen --out class --force >/dev/null
"$tool" create --key vendor.key.pem --image new.bin --sequence 7 --version 1.7.0 "${common[@]}" --component deploy --encrypt --class-pub class.pub.pem --out v7-encrypted.suit >/dev/null

# Firmware and application together (two components, both payloads detached): installed atomically.
image fw-old.bin 61000 303132333435363738393a3b3c3d3e3f     # the installed firmware
image fw-new.bin 60000 404142434445464748494a4b4c4d4e4f
image app-new.bin 100000 505152535455565758595a5b5c5d5e5f
"$tool" create --key vendor.key.pem --image fw-new.bin --component nanoclr --deploy-image app-new.bin --sequence 7 --version 2.0.0 "${common[@]}" \
  --payload-uri 'https://updates.vendor.example/payloads/{component}-{sha256}' --payload-out 'pair-{component}.bin' --out pair7.suit >/dev/null
"$tool" create --key vendor.key.pem --image fw-new.bin --component nanoclr --deploy-image app-new.bin --sequence 7 --version 2.0.0 "${common[@]}" \
  --encrypt --class-pub class.pub.pem \
  --payload-uri 'https://updates.vendor.example/payloads/{component}-{sha256}' --payload-out 'pair-encrypted-{component}.bin' --out pair7-encrypted.suit >/dev/null

# A firmware dependency (docs/data-set-format.md 1c): an application that needs nanoCLR 1.12.0 or newer,
# plain and encrypted (the dependency component after "ciphertext").
"$tool" create --key vendor.key.pem --image new.bin --sequence 7 --version 1.7.0 "${common[@]}" --component deploy --requires-firmware 1.12.0 --out v7-requires.suit >/dev/null
"$tool" create --key vendor.key.pem --image new.bin --sequence 7 --version 1.7.0 "${common[@]}" --component deploy --requires-firmware 1.12 \
  --encrypt --class-pub class.pub.pem --out v7-requires-encrypted.suit >/dev/null

# Severable text (manifest-37 8.4.4): the text as envelope member 23, its digest in the manifest.
"$tool" create --key vendor.key.pem --image new.bin --sequence 7 --version 1.7.0 "${common[@]}" --component deploy --severable-text --out v7-severed.suit >/dev/null

for b in bench256k bench1m; do
  "$tool" create --key vendor.key.pem --image $b.bin --sequence 7 --version 1.7.0 "${common[@]}" --component deploy --out $b.suit >/dev/null
done

ids() { "$tool" inspect "$1" --json | sed -n "s/.*\"$2\": \"\\([0-9a-f-]*\\)\".*/\\1/p" | tr -d -; }
printf 'vendor %s\nclass %s\n' "$(ids v7.suit vendorId)" "$(ids v7.suit classId)" > ids.txt
echo "fixtures in $out"
