using SecureOta.Drivers.Chip;
using SecureOta.Drivers.I2c;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The chip at the I2C transaction level (shared/reference/optiga-trust.md section 1): the register map,
/// I2C_STATE with BUSY/RESP_RDY and the pending length, the data link layer (FCS, frame and ack
/// numbers, control ACK/NAK, piggy-backed ACKs, resynchronisation), transport chaining, and the
/// application (ApduProcessor). Time is the shared VirtualClock: every transfer costs bus time at the
/// negotiated speed (I2C_MODE: 400 kHz, or 1000 kHz in Fm+) and every command its duration; the chip
/// NACKs while starting up and while a fault says so. The receiver and transmitter rules are those of
/// the IFX I2C data link tables (I2C-203 Tables 3-2/3-3, as the host code implements them: X-DL
/// ifx_i2c_pl_event_handler): a repeated frame is acknowledged again and discarded, a NAK or a damaged
/// control frame makes the chip send its unacknowledged frame again, stray control frames are dropped.
/// </summary>
public sealed class ChipEmulator : II2cTransport
{
    private const int MaxFrameSize = 277;

    // I2C_MODE bits 2:0 (I2C-203 Table 2-1; X-PL PL_REG_I2C_MODE_*): Sm, Fm, Sm&Fm (the default), Fm+.
    public const byte ModeSm = 0x01, ModeFm = 0x02, ModeSmFm = 0x03, ModeFmPlus = 0x04, ModePersistent = 0x80;
    public const byte RegI2cMode = 0x89;
    private readonly VirtualClock _clock;
    private readonly ApduProcessor _app;
    private byte _pointer = PhysicalLayer.RegI2cState;
    private int _frameSize = MaxFrameSize;
    private long _startupUntil;

    // Data link state: the chip's frame counters, its outgoing frame and what is scheduled.
    private int _rxSeq = 3, _txSeq = 3;
    private byte[]? _visible;                  /* the frame a DATA read returns */
    private bool _visibleIsControlAck;
    private bool _visibleAnnounced;            /* I2C_STATE told the host its length: it must not change */
    private byte[]? _lastDataFrame;            /* for retransmission on NAK */
    private byte[]? _scheduledResponse;        /* response APDU, ready at _busyUntil */
    private long _busyUntil;
    private readonly List<byte> _incoming = new();
    private byte _incomingChain;
    private bool _incomingPresence;
    private readonly Queue<byte[]> _outgoingPackets = new();

    private readonly ShieldedSession _shielded;
    private bool _presenceOut;                 /* the response goes back with the presence bit */

    private byte _mode;
    private byte[]? _afterControl;             /* an unread response frame a control frame displaced */
    private bool _unacked;                     /* _lastDataFrame still waits for the host's ACK */
    private long _takenAt;                     /* when the host last read _lastDataFrame */
    private int _retransmits;
    private const int TransTimeoutUs = 10_000, TransRepeat = 3; /* TRANS_TIMEOUT, TRANS_REPEAT (DS-X Table 21) */

    public ChipEmulator(ChipState state, VirtualClock clock)
    {
        _clock = clock;
        _app = new ApduProcessor(state) { Clock = clock };
        _shielded = new ShieldedSession(_app);
        _mode = state.I2cMode;
    }

    /// <summary>The part this chip is (its state's).</summary>
    public ChipPart Part => _app.State.Part;

    /// <summary>The bus speed the chip runs at now (kHz): MAX_SCL_FREQU's value.</summary>
    public int MaxSclKHz => _mode switch { ModeSm => 100, ModeFmPlus => 1000, _ => 400 };

    // 9 bits per byte (8 data + ACK) at the current speed.
    private long BusUs(int bytes) => (bytes * 9L * 1000 + MaxSclKHz - 1) / MaxSclKHz;

    public ChipFaults Faults { get; } = new();
    public ChipState State => _app.State;
    public ApduProcessor Application => _app;

    /// <summary>Every transaction as the datasheet traces write them ("W 82", "R 08 00 00 00").</summary>
    public List<string> Trace { get; } = new();
    public bool Tracing { get; set; }

    public I2cStatus Write(byte[] buffer, int offset, int count)
    {
        _clock.Advance(BusUs(count + 1));
        if (Nacking()) return I2cStatus.Nack;
        var bytes = buffer.AsSpan(offset, count).ToArray();
        Log("W", bytes);
        _pointer = bytes[0];
        if (count == 1) return I2cStatus.Ok;
        switch (bytes[0])
        {
            case PhysicalLayer.RegData:
                ReceiveFrame(bytes[1..]);
                break;
            case PhysicalLayer.RegDataRegLen when count == 3:
                _frameSize = Math.Clamp((bytes[1] << 8) | bytes[2], 16, MaxFrameSize);
                break;
            case PhysicalLayer.RegSoftReset:
                PowerCycle();
                break;
            case RegI2cMode when count == 3 && (bytes[2] & 0x07) is ModeSm or ModeFm or ModeSmFm or ModeFmPlus:
                _mode = (byte)(bytes[2] & 0x07);
                if ((bytes[1] & ModePersistent) != 0) _app.State.I2cMode = _mode; /* DEF_MODE: kept across resets */
                break;
        }
        return I2cStatus.Ok;
    }

    public I2cStatus Read(byte[] buffer, int offset, int count)
    {
        _clock.Advance(BusUs(count + 1));
        if (Nacking()) return I2cStatus.Nack;
        Pump();
        byte[] value = _pointer switch
        {
            PhysicalLayer.RegI2cState => StateRegister(),
            PhysicalLayer.RegDataRegLen => [(byte)(_frameSize >> 8), (byte)_frameSize],
            PhysicalLayer.RegMaxSclFrequ => [0x00, 0x00, (byte)(MaxSclKHz >> 8), (byte)MaxSclKHz],
            RegI2cMode => [(byte)(_app.State.I2cMode == _mode ? ModePersistent : 0x00), _mode],
            PhysicalLayer.RegData => TakeVisible(),
            _ => [],
        };
        for (int i = 0; i < count; i++) buffer[offset + i] = i < value.Length ? value[i] : (byte)0xFF;
        Log("R", buffer.AsSpan(offset, count).ToArray());
        return I2cStatus.Ok;
    }

    /// <summary>A power cycle or soft reset: volatile state gone, NACKs during the start-up time.</summary>
    public void PowerCycle()
    {
        _app.Reset();
        _shielded.Reset();
        _rxSeq = _txSeq = 3;
        _visible = null;
        _scheduledResponse = null;
        _lastDataFrame = null;
        _afterControl = null;
        _unacked = false;
        _incoming.Clear();
        _outgoingPackets.Clear();
        _busyUntil = 0;
        _mode = _app.State.I2cMode;
        _startupUntil = _clock.NowMicroseconds + Part.StartupUs;
    }

    private bool Nacking()
    {
        if (Faults.NackNext > 0)
        {
            Faults.NackNext--;
            return true;
        }
        return _clock.NowMicroseconds < _startupUntil;
    }

    private void Log(string direction, byte[] bytes)
    {
        if (Tracing) Trace.Add(direction + " " + Convert.ToHexString(bytes).Chunk(2).Aggregate("", (s, c) => s + (s.Length > 0 ? " " : "") + new string(c)));
    }

    private byte[] StateRegister()
    {
        bool busy = _clock.NowMicroseconds < _busyUntil;
        int length = _visible?.Length ?? 0;
        _visibleAnnounced = length > 0;
        byte flags = (byte)(0x08 | (busy ? PhysicalLayer.StateBusy : 0) | (length > 0 ? PhysicalLayer.StateResponseReady : 0));
        return [flags, Part.StateByte1, (byte)(length >> 8), (byte)length];
    }

    private byte[] TakeVisible()
    {
        var frame = _visible ?? [];
        _visible = null;
        _visibleIsControlAck = false;
        _visibleAnnounced = false;
        if (ReferenceEquals(frame, _lastDataFrame)) _takenAt = _clock.NowMicroseconds;
        if (frame.Length > 0 && (frame[0] & 0x80) != 0 && _afterControl is not null)
        {
            _visible = _afterControl; /* the response a re-sent ACK stood in front of */
            _afterControl = null;
        }
        if (Faults.CorruptToHost > 0 && frame.Length > 0)
        {
            Faults.CorruptToHost--;
            frame = (byte[])frame.Clone();
            frame[^1] ^= 0x01;
        }
        if (Faults.DuplicateToHost > 0 && frame.Length > 0 && (frame[0] & 0x80) == 0)
        {
            Faults.DuplicateToHost--;
            _visible = (byte[])frame.Clone();
        }
        return frame;
    }

    // A scheduled response becomes visible when the command finishes; an ACK not yet read is then
    // replaced by the data frame that carries it (as the datasheet traces show).
    private void Pump()
    {
        // Transmitter rule: no ACK within TRANS_TIMEOUT of the host reading our frame → send it again, up to TRANS_REPEAT times.
        if (_unacked && _visible is null && _afterControl is null && _scheduledResponse is null && _lastDataFrame is not null
            && _clock.NowMicroseconds - _takenAt >= TransTimeoutUs && _retransmits < TransRepeat)
        {
            _retransmits++;
            _visible = _lastDataFrame;
        }
        if (_scheduledResponse is not null && _clock.NowMicroseconds >= _busyUntil && (_visible is null || (_visibleIsControlAck && !_visibleAnnounced)))
        {
            var apdu = _scheduledResponse;
            _scheduledResponse = null;
            if (Faults.RewriteResponse is { } attacker) apdu = attacker(apdu);
            int max = _frameSize - 5 - 1;
            for (int i = 0; i < apdu.Length || i == 0; i += max)
            {
                int n = Math.Min(max, apdu.Length - i);
                byte chain = apdu.Length <= max ? TransportLayer.ChainNone
                    : i == 0 ? TransportLayer.ChainFirst : i + n >= apdu.Length ? TransportLayer.ChainLast : TransportLayer.ChainIntermediate;
                _outgoingPackets.Enqueue([(byte)(chain | (_presenceOut ? TransportLayer.Presence : 0)), .. apdu.AsSpan(i, n)]);
            }
            _visible = null;
            SendNextPacket();
        }
    }

    private void SendNextPacket()
    {
        if (_outgoingPackets.Count == 0) return;
        var packet = _outgoingPackets.Dequeue();
        _txSeq = (_txSeq + 1) & 3;
        var frame = new byte[packet.Length + 5];
        DataLinkLayer.BuildFrame((byte)((_txSeq << 2) | _rxSeq), packet, packet.Length, frame);
        _lastDataFrame = frame;
        _unacked = true;
        _retransmits = 0;
        _takenAt = _clock.NowMicroseconds;
        _visible = frame;
        _visibleIsControlAck = false;
    }

    private void QueueControl(byte fctr)
    {
        var frame = new byte[5];
        DataLinkLayer.BuildFrame(fctr, null, 0, frame);
        if (_visible is { Length: > 0 } v && (v[0] & 0x80) == 0) _afterControl = v; /* keep an unread response */
        _visible = frame;
        _visibleIsControlAck = (fctr & 0xE0) == 0x80;
    }

    private void Retransmit()
    {
        if (_lastDataFrame is null || !_unacked || _retransmits >= TransRepeat) return;
        _retransmits++;
        _afterControl = null;
        _visible = _lastDataFrame;
        _visibleIsControlAck = false;
    }

    private void ReceiveFrame(byte[] frame)
    {
        if (Faults.CorruptToChip > 0)
        {
            Faults.CorruptToChip--;
            frame = (byte[])frame.Clone();
            frame[frame.Length / 2] ^= 0x10;
        }
        if (frame.Length < 5)
        {
            QueueControl((byte)(0xA0 | ((_rxSeq + 1) & 3))); /* shorter than a frame: NAK */
            return;
        }
        int length = (frame[1] << 8) | frame[2];
        bool crcOk = length + 5 == frame.Length && Crc16Kermit.Compute(frame, 0, 3 + length) == ((frame[3 + length] << 8) | frame[4 + length]);
        byte fctr = frame[0];
        int seq = fctr & 0x60, frameNumber = (fctr >> 2) & 3, ackNumber = fctr & 3;
        if ((fctr & 0x80) != 0)
        {
            // Control frame rows: damaged → retransmit; longer than 5 or LEN ≠ 0 → discard; resync → both
            // counters to 3; FRNR ≠ 0, RFU or an ACKNR other than our frame → discard; NAK → retransmit.
            if (frame.Length == 5 && length == 0 && !crcOk) { Retransmit(); return; }
            if (!crcOk || frame.Length != 5 || length != 0) return;
            if (seq == 0x40) { _rxSeq = _txSeq = 3; _unacked = false; return; }
            if (frameNumber != 0 || seq == 0x60 || (fctr & 0x10) != 0 || ackNumber != _txSeq) return;
            if (seq == 0x20) { Retransmit(); return; }
            _unacked = false;
            SendNextPacket();                                            /* ACK: next fragment, if any */
            return;
        }
        if (Faults.DropToChip > 0)
        {
            Faults.DropToChip--;
            return;
        }
        // Data frame rows: damaged, empty, or SEQCTR resync/RFU → NAK naming the frame we expect.
        if (!crcOk || length == 0 || seq is 0x40 or 0x60)
        {
            QueueControl((byte)(0xA0 | ((_rxSeq + 1) & 3)));
            return;
        }
        if (frameNumber != ((_rxSeq + 1) & 3))
        {
            QueueControl((byte)(0x80 | _rxSeq)); /* not the next frame (a repeat): ACK the last good one again, discard */
            return;
        }
        if (ackNumber != _txSeq) return;         /* acknowledges a frame we never sent: discard */
        if (seq == 0x20) { Retransmit(); return; } /* a data frame carrying a NAK for ours */
        _unacked = false;                          /* a new frame from the host acknowledges our last one */
        _afterControl = null;                      /* and whatever we still offered is superseded */
        if (_visible is { Length: > 0 } stale && (stale[0] & 0x80) == 0) _visible = null;
        _rxSeq = frameNumber;
        ReceivePacket(frame.AsSpan(3, length).ToArray());
    }

    private void ReceivePacket(byte[] packet)
    {
        byte pctr = packet[0];
        byte chain = (byte)(pctr & TransportLayer.ChainMask);
        bool start = chain is TransportLayer.ChainNone or TransportLayer.ChainFirst;
        bool middle = chain is TransportLayer.ChainFirst or TransportLayer.ChainIntermediate;
        // PCTR (I2C-203 section 4, Table 5-1): CHAN bits 7:4 must be 0 (MAX_NET_CHAN 1), the presence bit
        // exists only with a presentation layer, chain values 3, 5, 6 are RFU; intermediate and last
        // follow first or intermediate; every fragment but the last fills a frame. Anything else is a
        // chaining error: the chip answers the 1-byte packet 07 and drops what it had (M-TL TL_CHAINING_ERROR).
        bool presenceOk = (pctr & TransportLayer.Presence) == 0 || Part.HasPresentationLayer; /* the host sets it on every fragment (M-TL line 175) */
        bool sequenceOk = start || _incomingChain is TransportLayer.ChainFirst or TransportLayer.ChainIntermediate;
        bool sizeOk = !middle || packet.Length == _frameSize - 5;
        if ((pctr & 0xF0) != 0 || !presenceOk || chain is 3 or 5 or 6 or 7 || !sequenceOk || !sizeOk)
        {
            _incoming.Clear();
            _incomingChain = TransportLayer.ChainNone;
            _scheduledResponse = null;
            _outgoingPackets.Clear();
            _outgoingPackets.Enqueue([TransportLayer.ChainError]);
            SendNextPacket();                      /* the chaining error frame, behind the ACK of this frame */
            var errorFrame = _visible;
            QueueControl((byte)(0x80 | _rxSeq));
            _afterControl = errorFrame;
            return;
        }
        if (start)
        {
            _incoming.Clear();
            _incomingPresence = (pctr & TransportLayer.Presence) != 0;
        }
        _incomingChain = chain;
        _incoming.AddRange(packet.AsSpan(1).ToArray());
        QueueControl((byte)(0x80 | _rxSeq));
        if (chain is TransportLayer.ChainFirst or TransportLayer.ChainIntermediate) return;
        _presenceOut = _incomingPresence;
        var (response, duration) = _incomingPresence ? _shielded.Handle(_incoming.ToArray()) : _app.Execute(_incoming.ToArray());
        if (Faults.ResetDuringNextCommand)
        {
            Faults.ResetDuringNextCommand = false;
            PowerCycle();
            return;
        }
        _scheduledResponse = response;
        _busyUntil = _clock.NowMicroseconds + duration;
    }
}
