#!/usr/bin/env bash
# make demo: a secured update of a simulated fleet, end to end, on this machine.
#   vendor keys in a SoftHSM2 token -> update server (SQLite, local artifact store) on 127.0.0.1 -> 20 boards through the factory station
#   registered with the server -> an encrypted, signed data set published -> a rollout -> every board
#   checks in (chip-signed), downloads with Range, has its chip verify and derive the key, stages,
#   reboots into the C boot stage, confirms -> one summary line. Everything started here is stopped.
# DEMO_DEVICES=N changes the fleet size; DEMO_PART=mixed|trust-m|trust-x (default mixed: odd boards carry a
# Trust M, even ones a Trust X, and one data set with both recipients serves both); DEMO_FAULTS=none|recoverable|all (default recoverable);
# DEMO_WAVES=10,50,100 (cumulative percentages); DEMO_ERROR_THRESHOLD=N (default 2) failed devices halt the rollout; DEMO_KEEP=1 leaves the server
# running afterwards so the dashboard can be looked at (token in the folder's admin-token file). DEMO_DETACHED=1 publishes
# the release with a detached payload (the envelope names $url/payloads/{sha256}; the payload is uploaded first);
# DEMO_PAIR=1 releases firmware and application together (two components, installed atomically, plain, detached).
# DEMO_LAYOUT=ab|swap: the boards' flash layout (default ab: partitions_4mb_ab.csv, the new image written into the
# second slot and activated there, docs/boot-protocol.md "A/B slots"; a pair's two images each into their own slot).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$PWD/out/bin
devices=${DEMO_DEVICES:-20}
part=${DEMO_PART:-mixed}
faults=${DEMO_FAULTS:-recoverable}
threshold=${DEMO_ERROR_THRESHOLD:-2}
waves=${DEMO_WAVES:-10,50,100}
detached=${DEMO_DETACHED:-0}
pair=${DEMO_PAIR:-0}
layout=${DEMO_LAYOUT:-ab}
work=$(mktemp -d -t secure-ota-demo-XXXXXX)
server_pid=""

cleanup() {
  if [ -n "$server_pid" ] && [ "${DEMO_KEEP:-0}" != 1 ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${DEMO_KEEP:-0}" != 1 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
say() { printf '\n== %s\n' "$*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

say "1. Key ceremony on a SoftHSM2 token (its own config in $work/hsm): signing key, device CA, update master secret (Trust M), class key-agreement key (Trust X)"
# The token's PINs live in this script's environment only (docs/hsm.md: never an argument, never a file here).
mkdir -p "$work/hsm/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/hsm/tokens" > "$work/hsm/softhsm2.conf"
export SOFTHSM2_CONF="$work/hsm/softhsm2.conf"
SECURE_OTA_TOKEN_PIN=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'); export SECURE_OTA_TOKEN_PIN
SECURE_OTA_TOKEN_SO_PIN=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'); export SECURE_OTA_TOKEN_SO_PIN
tok=(--pkcs11-module "${PKCS11_MODULE:-/usr/lib/softhsm/libsofthsm2.so}" --token-label vendor-keys)
"$bin/update-tool" token init "${tok[@]}"
"$bin/update-tool" token keygen "${tok[@]}" --key-label signing --out "$work/vendor.pub.pem"
"$bin/update-tool" token keygen "${tok[@]}" --key-label device-ca --out "$work/device-ca.pub.pem"
"$bin/update-tool" token ca "${tok[@]}" --key-label device-ca --subject "CN=vendor.example device CA" --out "$work/device-ca.pem"
"$bin/update-tool" token master-secret "${tok[@]}" --label master --for-provisioning
"$bin/update-tool" token keygen "${tok[@]}" --key-label class --for-personalisation --out "$work/class.pub.pem"

say "2. Update server on 127.0.0.1 over HTTPS (a CA made for this run; embedded defaults: SQLite and an artifact store in $work/server)"
# The boards trust this CA alone (device-sim --server-ca, as AgentSettings.ServerCaPem on a board); the
# server's key stays in $work/tls, where a real server keeps its TLS key.
mkdir -p "$work/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=secure-ota demo CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -keyout "$work/tls/ca.key" -out "$work/tls/ca.pem" 2>/dev/null || fail "openssl could not make the demo CA"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=update-server" \
  -keyout "$work/tls/server.key" -out "$work/tls/server.csr" 2>/dev/null || fail "openssl could not make the server key"
openssl x509 -req -in "$work/tls/server.csr" -CA "$work/tls/ca.pem" -CAkey "$work/tls/ca.key" -CAcreateserial -days 2 \
  -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n') \
  -out "$work/tls/server.pem" 2>/dev/null || fail "openssl could not issue the server certificate"
rm -f "$work/tls/ca.key" # nothing more to issue: the CA's key is not kept
# The update channel key (issue 18): the server signs each check-in's freshness statement with it; the
# factory writes its certificate into every chip's trust anchor 0xE0E8. Kept with the server's keys.
"$bin/update-tool" keygen --out "$work/tls/channel" >/dev/null
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The server reads its admin token from the environment; a file is written only for DEMO_KEEP=1 (the dashboard's user needs it).
export UPDATE_SERVER_ADMIN_TOKEN=$token
if [ "${DEMO_KEEP:-0}" = 1 ]; then (umask 077; printf '%s\n' "$token" > "$work/admin-token"); fi
# The simulated boards poll every 250 ms of host time where a real board waits its poll interval
# (300 s), so the per-device, per-source and nonce rate limits are raised by the same factor (all boards
# share 127.0.0.1); the rest is the server's default.
# The log exists before the server does: the background child opens it, and the loop below must not
# race it (with pipefail a sed on a missing file would end the demo).
: > "$work/server.log"
"$bin/update-server" --data "$work/server" --urls https://127.0.0.1:0 --tls-cert "$work/tls/server.pem" --tls-key "$work/tls/server.key" \
  --vendor-key "$work/vendor.pub.pem" --channel-key "$work/tls/channel.key.pem" --device-rate-limit 100000 --source-rate-limit 10000000 --nonce-rate-limit 10000000 >"$work/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/.*Now listening on: \(https:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/server.log" | head -1)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the update server did not start"; }
  sleep 0.2
done
[ -n "$url" ] || fail "the update server did not report its address within 20 s (log: $work/server.log)"
echo "  listening on $url (dashboard: $url/)"
admin() { curl -sS --fail-with-body --cacert "$work/tls/ca.pem" -H "Authorization: Bearer $token" "$@"; }

say "3. Secure factory: $devices boards, $part, flash layout $layout, each through the factory station (device key made in the chip, certificate from the token's device CA, trust anchor, the update channel's trust anchor, master secret into Trust M chips; locked, read back, logged), registered"
"$bin/device-sim" provision --dir "$work/fleet" --count "$devices" --vendor-pub "$work/vendor.pub.pem" --part "$part" \
  "${tok[@]}" --ca-key-label device-ca --ca-cert "$work/device-ca.pem" --master-label master --class-key-label class \
  --vendor-domain vendor.example --class-name esp32-trustx \
  --version 1.0.0 --layout "$layout" --server "$url" --server-ca "$work/tls/ca.pem" --admin-token "$token" --channel-pub "$work/tls/channel.pub.pem"

if [ "$pair" = 1 ]; then
say "4. Vendor release 1.1.0: firmware + application -> one SUIT manifest (sequence 1, two components) -> signed -> verified"
"$bin/device-sim" firmware --version 1.1.0 --size 262144 --out "$work/app-1.1.0.bin"
"$bin/device-sim" firmware --version nanoclr-1.1.0 --size 327680 --out "$work/fw-1.1.0.bin"
"$bin/update-tool" create "${tok[@]}" --key-label signing --component nanoclr --image "$work/fw-1.1.0.bin" --deploy-image "$work/app-1.1.0.bin" \
  --sequence 1 --version 1.1.0 --vendor-domain vendor.example --class-name esp32-trustx \
  --payload-uri "$url/payloads/{sha256}" --payload-out "$work/release-1.1.0.{component}.payload" --out "$work/app-1.1.0.suit"
"$bin/update-tool" verify "$work/app-1.1.0.suit" --pub "$work/vendor.pub.pem" \
  --image "$work/release-1.1.0.nanoclr.payload" --deploy-image "$work/release-1.1.0.deploy.payload"
else
say "4. Vendor release 1.1.0: image -> SUIT manifest (sequence 1) -> encrypted, the key wrapped for both kinds of chip -> signed -> verified"
"$bin/device-sim" firmware --version 1.1.0 --size 262144 --out "$work/app-1.1.0.bin"
"$bin/update-tool" create "${tok[@]}" --key-label signing --image "$work/app-1.1.0.bin" --sequence 1 --version 1.1.0 \
  --vendor-domain vendor.example --class-name esp32-trustx --component deploy \
  --encrypt --master-label master --class-pub "$work/class.pub.pem" --out "$work/app-1.1.0.suit" \
  $( [ "$detached" = 1 ] && echo --payload-uri "$url/payloads/{sha256}" --payload-out "$work/app-1.1.0.payload" )
"$bin/update-tool" verify "$work/app-1.1.0.suit" --pub "$work/vendor.pub.pem" "${tok[@]}" --master-label master --class-key-label class \
  $( [ "$detached" = 1 ] && echo --image "$work/app-1.1.0.payload" )
fi
# Nothing secret on disk outside the token directory, the chips (the fleet's chip files) and the server's TLS key:
if grep -rlI -e "PRIVATE KEY" "$work" --exclude-dir=hsm --exclude-dir=fleet --exclude-dir=tls >/dev/null; then fail "a private key is on disk outside the token"; fi
if find "$work" -name '*.master.hex' | grep -q .; then fail "a master secret file is on disk"; fi
echo "  provisioning log: $(grep -c $'\tprovisioned\t' "$work/fleet/provisioning.log") chips provisioned, $(grep -c $'\trejected\t' "$work/fleet/provisioning.log" || true) rejected"

say "5. Publish (the server verifies the signature before it stores anything) and roll out in waves ($waves % of the fleet)"
for payload in "$work"/*.payload; do
  [ -e "$payload" ] || continue
  admin --data-binary @"$payload" -H "Content-Type: application/octet-stream" "$url/api/v1/admin/payloads" >"$work/payload.json" \
    || fail "payload upload refused: $(cat "$work/payload.json")"
  echo "  detached payload $(cat "$work/payload.json")"
done
admin --data-binary @"$work/app-1.1.0.suit" -H "Content-Type: application/octet-stream" "$url/api/v1/admin/datasets" >"$work/upload.json" \
  || fail "upload refused: $(cat "$work/upload.json")"
digest=$(sed -n 's/.*"digest":"\([0-9a-f]*\)".*/\1/p' "$work/upload.json")
echo "  data set $digest"
admin -H "Content-Type: application/json" -d "{\"digest\":\"$digest\",\"waves\":[$waves],\"errorThreshold\":$threshold}" "$url/api/v1/admin/rollouts" >"$work/rollout.json" \
  || fail "rollout refused: $(cat "$work/rollout.json")"
echo "  rollout $(cat "$work/rollout.json")"

say "6. The fleet updates (faults injected: $faults)"
set +e
"$bin/device-sim" run --dir "$work/fleet" --server "$url" --server-ca "$work/tls/ca.pem" --faults "$faults" --report "$work/report.json" \
  --report-html "$work/report.html" --timeout 300 | tee "$work/run.log"
rc=${PIPESTATUS[0]}
set -e
summary=$(tail -1 "$work/run.log")
modeled=$(grep -o 'busy time per update: median [0-9.]* s' "$work/run.log" | sed 's/busy time per update: //' || true)
limit=$(grep -o 'physical limit median [0-9.]* s, busy/limit median [0-9.]*' "$work/run.log" || true)

say "7. The server's view"
admin "$url/api/v1/admin/rollouts"; echo
admin "$url/api/v1/admin/devices" | tr '{' '\n' | grep -c '"state":"confirmed"' | sed 's/^/  devices confirmed: /'

echo
echo "demo: $summary; over HTTPS ($url, the boards pinned to the run's CA)"
echo "demo: $layout boards, modeled ESP32 busy time per update $modeled; $limit (docs/device-simulator.md)"
if [ "${DEMO_KEEP:-0}" = 1 ]; then
  echo "demo: dashboard at $url/ (admin token in $work/admin-token); report: $work/report.json and $work/report.html; server still running (pid $server_pid)"
else
  echo "demo: dashboard was at $url/ ; the server is stopped and $work removed (DEMO_KEEP=1 keeps both)"
fi
[ "$rc" -eq 0 ] || fail "not every device updated (device-sim exit $rc)"
