using System.Diagnostics;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.I2c;

namespace SecureOta.ChipEmu;

/// <summary>
/// chip-emu serve: the emulated chip as an I2C bus any host stack can drive, one transaction per text
/// line (docs/security-chip.md, "chip-emu serve"). A request line is answered by exactly one reply
/// line; nothing is written unasked. Lines:
///   W aa hh..   write bytes to 7-bit address aa       → ACK | NACK
///   R aa n      read n bytes (1..4096) from aa        → ACK hh.. | NACK
///   VDD 0|1     supply off (everything NACKs) / on (a cold start: tSTARTUP)   → OK
///   RST 0|1     reset line low (held in reset) / high (a warm start)         → OK
///   TIME [+us]  advance virtual time by us, or just report it                → OK now_us
///   FAULT name n   arm n faults: nack, corrupt-to-chip, corrupt-to-host, drop-to-chip, duplicate-to-host, reset-during-command → OK
///   STATUS      → OK part=… time_us=… powered=0|1 app_open=0|1 sec=… last_error=hh
///   SAVE        write the chip state back to its file → OK ;  QUIT → OK, then the stream ends
/// Anything else → ERR what was wrong. Empty lines and lines starting with # get no reply.
/// </summary>
public sealed class BusServer
{
    public const int MaxRead = 4096;
    private readonly ChipState _state;
    private readonly string? _statePath;
    private readonly VirtualClock _clock = new();
    private readonly SecureOta.ChipEmulator.ChipEmulator _chip;
    private readonly byte _address;
    private readonly Stopwatch? _wall;
    private bool _vdd = true, _rst = true;

    public BusServer(ChipState state, string? statePath, byte address, bool wallClock)
    {
        _state = state;
        _statePath = statePath;
        _address = address;
        _chip = new SecureOta.ChipEmulator.ChipEmulator(state, _clock);
        _chip.PowerCycle();
        if (wallClock) _wall = Stopwatch.StartNew();
    }

    public ChipFaults Faults => _chip.Faults;

    /// <summary>Writes every APDU and its response to this writer (stderr with --trace-apdu).</summary>
    public void TraceApdus(TextWriter writer) => _chip.Application.ApduTrace = line => { writer.WriteLine(line); writer.Flush(); };

    public bool Quit { get; private set; }

    public string PartName => _state.Part.Name;

    /// <summary>Arms a fault by its protocol name; false for an unknown name.</summary>
    public bool Arm(string name, int count)
    {
        var f = _chip.Faults;
        switch (name)
        {
            case "nack": f.NackNext += count; return true;
            case "corrupt-to-chip": f.CorruptToChip += count; return true;
            case "corrupt-to-host": f.CorruptToHost += count; return true;
            case "drop-to-chip": f.DropToChip += count; return true;
            case "duplicate-to-host": f.DuplicateToHost += count; return true;
            case "reset-during-command": f.ResetDuringNextCommand = count > 0; return true;
            default: return false;
        }
    }

    /// <summary>Handles one request line; returns the reply line, or null for a comment or an empty line.</summary>
    public string? Handle(string line)
    {
        line = line.Trim();
        if (line.Length == 0 || line.StartsWith('#')) return null;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        SyncWallClock();
        try
        {
            switch (parts[0].ToUpperInvariant())
            {
                case "W": return Write(parts);
                case "R": return Read(parts);
                case "VDD": return Line(parts, v => { if (_vdd != v && v) _chip.PowerCycle(); _vdd = v; });
                case "RST": return Line(parts, v => { if (!_rst && v) _chip.PowerCycle(); _rst = v; });
                case "TIME":
                    if (parts.Length == 2)
                    {
                        if (!parts[1].StartsWith('+') || !long.TryParse(parts[1][1..], out long us) || us < 0 || us > 3_600_000_000)
                            return "ERR TIME takes +microseconds (0..3600000000)";
                        _clock.Advance(us);
                    }
                    else if (parts.Length != 1) return "ERR TIME takes at most one argument";
                    return $"OK {_clock.NowMicroseconds}";
                case "FAULT":
                    if (parts.Length != 3 || !int.TryParse(parts[2], out int n) || n < 0 || n > 1_000_000) return "ERR FAULT takes a name and a count (0..1000000)";
                    return Arm(parts[1], n) ? "OK" : $"ERR unknown fault '{parts[1]}': nack, corrupt-to-chip, corrupt-to-host, drop-to-chip, duplicate-to-host, reset-during-command";
                case "STATUS":
                    var app = _chip.Application;
                    return $"OK part={_state.Part.Name} time_us={_clock.NowMicroseconds} powered={(_vdd && _rst ? 1 : 0)} app_open={(app.ApplicationOpen ? 1 : 0)} sec={app.SecurityEventCounter} last_error={app.PeekLastError:X2}";
                case "SAVE":
                    if (_statePath is null) return "ERR no state file to save to (serve was started without --state)";
                    _state.Save(_statePath);
                    return "OK";
                case "QUIT":
                    Quit = true;
                    return "OK";
                default:
                    return $"ERR unknown request '{parts[0]}': W, R, VDD, RST, TIME, FAULT, STATUS, SAVE, QUIT";
            }
        }
        catch (FormatException)
        {
            return "ERR bytes are hexadecimal pairs (W 30 82 or W 30 8200)";
        }
    }

    private string Write(string[] parts)
    {
        if (parts.Length < 3) return "ERR W takes an address and at least one byte";
        byte address = ParseAddress(parts[1]);
        byte[] bytes = Convert.FromHexString(string.Concat(parts.Skip(2)));
        if (bytes.Length > MaxRead) return $"ERR at most {MaxRead} bytes in one write";
        if (!Responding(address)) return "NACK";
        return _chip.Write(bytes, 0, bytes.Length) == I2cStatus.Ok ? "ACK" : "NACK";
    }

    private string Read(string[] parts)
    {
        if (parts.Length != 3 || !int.TryParse(parts[2], out int count) || count < 1 || count > MaxRead) return $"ERR R takes an address and a count (1..{MaxRead})";
        byte address = ParseAddress(parts[1]);
        if (!Responding(address)) return "NACK";
        var buffer = new byte[count];
        return _chip.Read(buffer, 0, count) == I2cStatus.Ok ? "ACK " + Convert.ToHexString(buffer) : "NACK";
    }

    // An address NACK costs the address byte's bus time, as a real one does.
    private bool Responding(byte address)
    {
        if (address == _address && _vdd && _rst) return true;
        _clock.Advance(23);
        return false;
    }

    private static byte ParseAddress(string text)
    {
        byte a = Convert.FromHexString(text.Length == 1 ? "0" + text : text) is [var b] ? b : throw new FormatException();
        if (a > 0x7F) throw new FormatException();
        return a;
    }

    private static string Line(string[] parts, Action<bool> set)
    {
        if (parts.Length != 2 || parts[1] is not ("0" or "1")) return $"ERR {parts[0]} takes 0 or 1";
        set(parts[1] == "1");
        return "OK";
    }

    // With --clock wall, virtual time never lags real time (a host that sleeps between polls sees the chip progress).
    private void SyncWallClock()
    {
        if (_wall is null) return;
        long wallUs = _wall.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;
        if (wallUs > _clock.NowMicroseconds) _clock.Advance(wallUs - _clock.NowMicroseconds);
    }

    /// <summary>Serves one stream until it ends or QUIT; the state is saved at the end when there is a file.</summary>
    public void Serve(TextReader input, TextWriter output)
    {
        string? line;
        while (!Quit && (line = input.ReadLine()) is not null)
        {
            if (line.Length > 2 * MaxRead + 64) { output.WriteLine("ERR line too long"); output.Flush(); continue; }
            var reply = Handle(line);
            if (reply is null) continue;
            output.WriteLine(reply);
            output.Flush();
        }
        if (_statePath is not null) _state.Save(_statePath);
    }
}
