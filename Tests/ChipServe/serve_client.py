#!/usr/bin/env python3
"""An independent client of `chip-emu serve` (docs/security-chip.md): the IFX I2C protocol written
again from the specification (optiga-trust.md 1.1-1.4: registers, frames, CRC-16/KERMIT, frame
numbers, PCTR), not from the project's driver, over the stdin/stdout stream and over the Unix socket.
Prints TAP; the summary lines are "# pass N" and "# fail N"."""
import os, socket, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHIP_EMU = os.path.join(ROOT, "out", "bin", "chip-emu")
VECTORS = os.path.join(ROOT, "Tests", "Vectors")
ADDR = "30"
results = []

def crc16_kermit(data):
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc

def frame(fctr, packet=b""):
    body = bytes([fctr, len(packet) >> 8, len(packet) & 0xFF]) + packet
    c = crc16_kermit(body)
    return body + bytes([c >> 8, c & 0xFF])

OPEN_APP = bytes.fromhex("70000010D27600000447656E417574684170706C")

class Bus:
    def __init__(self, send):
        self.send = send
    def request(self, line):
        reply = self.send(line)
        if reply is None:
            raise RuntimeError("no reply to " + line)
        return reply
    def write(self, data):
        return self.request("W %s %s" % (ADDR, data.hex()))
    def read(self, n):
        r = self.request("R %s %d" % (ADDR, n))
        return bytes.fromhex(r[4:]) if r.startswith("ACK ") else None
    def register(self, reg, n):
        assert self.write(bytes([reg])) == "ACK"
        return self.read(n)
    def wait(self, us):
        return self.request("TIME +%d" % us)
    def receive_frame(self, limit_us=2_000_000):
        waited = 0
        while waited <= limit_us:
            state = self.register(0x82, 4)
            if state is not None:
                length = (state[2] << 8) | state[3]
                if state[0] & 0x40 and length:
                    return self.register(0x80, length)
            self.wait(5000)
            waited += 5000
        return None
    def exchange(self, frame_nr, ack_nr, apdu):
        """Sends one unchained APDU as data frame frame_nr; returns the response APDU (after the chip's ACK)."""
        assert self.write(bytes([0x80]) + frame(frame_nr << 2 | ack_nr, b"\x00" + apdu)) == "ACK"
        f = self.receive_frame()
        if f[0] & 0x80:                       # a separate control ACK, then the data frame
            assert f[0] == 0x80 | frame_nr, f.hex()
            f = self.receive_frame()
        assert crc16_kermit(f[:-2]) == (f[-2] << 8 | f[-1]), "bad FCS from the chip"
        assert (f[0] & 0x03) == frame_nr, "the response must acknowledge our frame"
        assert self.write(bytes([0x80]) + frame(0x80 | ((f[0] >> 2) & 3))) == "ACK"
        return f[3:-2][1:], (f[0] >> 2) & 3

def check(name, fn):
    try:
        fn()
        results.append((True, name))
        print("ok %d - %s" % (len(results), name))
    except Exception as e:  # a failed check is reported, the next one still runs
        results.append((False, name))
        print("not ok %d - %s\n  # %r" % (len(results), name, e))

def provision(tmp, part):
    state = os.path.join(tmp, part + ".json")
    args = [CHIP_EMU, "provision", "--out", state, "--vendor-pub", os.path.join(VECTORS, "suit-manifest", "signer-public-key.pem"), "--part", part]
    if part == "trust-m":
        secret = os.path.join(tmp, "master.hex")
        with open(secret, "w") as f:
            f.write("00112233445566778899aabbccddeeff")
        args += ["--master-secret", secret]
    else:
        args += ["--class-key", os.path.join(VECTORS, "suit-encryption", "es-dh-recipient-private-key.pem")]
    subprocess.run(args, check=True, capture_output=True)
    return state

def stdio_server(state, *extra):
    p = subprocess.Popen([CHIP_EMU, "serve", "--state", state, *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    def send(line):
        p.stdin.write(line + "\n"); p.stdin.flush()
        return p.stdout.readline().strip() or None
    return p, Bus(send)

def session(bus, expect_state):
    assert bus.request("TIME +20000").startswith("OK ")
    state = bus.register(0x82, 4)
    assert state.hex() == expect_state, state.hex()
    response, _ = bus.exchange(0, 3, OPEN_APP)
    assert response == bytes(4), response.hex()
    uid, nr = bus.exchange(1, 0, bytes.fromhex("01000006E0C200000064"))
    assert uid[:4] == bytes([0, 0, 0, 27]) and uid[4] == 0xCD and len(uid) == 31, uid.hex()
    return nr

def main():
    tmp = tempfile.mkdtemp()
    print("TAP version 13")
    for part, idle in (("trust-x", "08000000"), ("trust-m", "08800000")):
        state = provision(tmp, part)
        def stdio_session():
            p, bus = stdio_server(state)
            session(bus, idle)
            assert bus.request("QUIT") == "OK"
            assert p.wait(timeout=20) == 0
        check("%s over stdin/stdout: registers, OpenApplication, GetDataObject(E0C2)" % part, stdio_session)
    state = provision(tmp, "trust-x")

    def protocol_errors():
        p, bus = stdio_server(state)
        assert bus.request("W 31 82") == "NACK"               # nobody at 0x31
        assert bus.request("R 30 0").startswith("ERR ")
        assert bus.request("W 30 8").startswith("ERR ")       # not hexadecimal pairs
        assert bus.request("FLY 30").startswith("ERR ")
        assert bus.request("FAULT lightning 1").startswith("ERR ")
        assert bus.request("W 30 82") == "NACK"               # still in tSTARTUP
        bus.request("TIME +20000")
        assert bus.request("W 30 82") == "ACK"
        assert bus.request("VDD 0") == "OK"
        assert bus.request("W 30 82") == "NACK"               # no supply
        assert bus.request("VDD 1") == "OK"
        assert bus.request("W 30 82") == "NACK"               # a cold start again
        assert bus.request("STATUS").startswith("OK part=trust-x ")
        bus.request("QUIT"); p.wait(timeout=20)
    check("protocol: NACKs, errors, supply and start-up time", protocol_errors)

    def damaged_frame_is_naked():
        p, bus = stdio_server(state)
        bus.request("TIME +20000")
        bus.exchange(0, 3, OPEN_APP)
        assert bus.request("FAULT corrupt-to-chip 1") == "OK"
        apdu = b"\x00" + bytes.fromhex("0C0000020010")          # GetRandom(16)
        assert bus.write(bytes([0x80]) + frame(1 << 2 | 0, apdu)) == "ACK"
        nak = bus.receive_frame()
        assert nak == frame(0xA1), nak.hex()                  # NAK naming frame 1
        random, _ = bus.exchange(1, 0, apdu[1:])
        assert random[:4] == bytes([0, 0, 0, 16]) and len(random) == 20
        bus.request("QUIT"); p.wait(timeout=20)
    check("a frame damaged on its way to the chip is NAKed, the repeat answered", damaged_frame_is_naked)

    def socket_session():
        path = os.path.join(tmp, "chip.sock")
        p = subprocess.Popen([CHIP_EMU, "serve", "--state", state, "--socket", path], stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        while not os.path.exists(path):
            assert time.time() < deadline and p.poll() is None, "the socket never appeared"
            time.sleep(0.05)
        for round_ in range(2):                               # two clients, one after the other, one chip
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            f = s.makefile("rw", newline="\n")
            def send(line):
                f.write(line + "\n"); f.flush()
                return f.readline().strip() or None
            bus = Bus(send)
            if round_ == 0:
                session(bus, "08000000")
            else:
                assert bus.request("STATUS").startswith("OK part=trust-x") and "app_open=1" in bus.request("STATUS")
                assert bus.request("QUIT") == "OK"
            f.close(); s.close()
        assert p.wait(timeout=20) == 0
    check("the same over the Unix socket, the chip kept between connections", socket_session)

    passed = sum(1 for ok, _ in results if ok)
    print("1..%d" % len(results))
    print("# pass %d" % passed)
    print("# fail %d" % (len(results) - passed))
    return 0 if passed == len(results) else 1

if __name__ == "__main__":
    sys.exit(main())
