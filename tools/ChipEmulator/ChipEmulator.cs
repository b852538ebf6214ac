using SecureOta.Drivers.Chip;
using SecureOta.Drivers.I2c;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The chip at the I2C transaction level (shared/reference/optiga-trust.md section 1): the register map,
/// I2C_STATE with BUSY/RESP_RDY and the pending length, the data link layer (FCS, frame and ack
/// numbers, control ACK/NAK, piggy-backed ACKs, resynchronisation), transport chaining, and the
/// application (ApduProcessor). Time is the shared VirtualClock: every transfer costs bus time at
/// 400 kHz and every command its duration; the chip NACKs while starting up and while a fault says so.
/// </summary>
public sealed class ChipEmulator : II2cTransport
{
    private const int ByteTimeUs = 23;         /* 9 bits at 400 kHz */
    private const int MaxFrameSize = 277;
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

    public ChipEmulator(ChipState state, VirtualClock clock)
    {
        _clock = clock;
        _app = new ApduProcessor(state) { Clock = clock };
        _shielded = new ShieldedSession(_app);
    }

    /// <summary>Whether I2C_STATE advertises the presentation layer (Trust M: yes; the Trust X trace: no).</summary>
    public bool AdvertisePresentationLayer { get; set; } = true;

    public ChipFaults Faults { get; } = new();
    public ChipState State => _app.State;
    public ApduProcessor Application => _app;

    /// <summary>Every transaction as the datasheet traces write them ("W 82", "R 08 00 00 00").</summary>
    public List<string> Trace { get; } = new();
    public bool Tracing { get; set; }

    public I2cStatus Write(byte[] buffer, int offset, int count)
    {
        _clock.Advance((count + 1) * ByteTimeUs);
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
        }
        return I2cStatus.Ok;
    }

    public I2cStatus Read(byte[] buffer, int offset, int count)
    {
        _clock.Advance((count + 1) * ByteTimeUs);
        if (Nacking()) return I2cStatus.Nack;
        Pump();
        byte[] value = _pointer switch
        {
            PhysicalLayer.RegI2cState => StateRegister(),
            PhysicalLayer.RegDataRegLen => [(byte)(_frameSize >> 8), (byte)_frameSize],
            PhysicalLayer.RegMaxSclFrequ => [0x00, 0x00, 0x01, 0x90],
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
        _incoming.Clear();
        _outgoingPackets.Clear();
        _busyUntil = 0;
        _startupUntil = _clock.NowMicroseconds + 10000; /* tSTARTUP, Trust X */
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
        return [flags, (byte)(AdvertisePresentationLayer ? 0x80 : 0x00), (byte)(length >> 8), (byte)length];
    }

    private byte[] TakeVisible()
    {
        var frame = _visible ?? [];
        _visible = null;
        _visibleIsControlAck = false;
        _visibleAnnounced = false;
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
        _visible = frame;
        _visibleIsControlAck = false;
    }

    private void QueueControl(byte fctr)
    {
        var frame = new byte[5];
        DataLinkLayer.BuildFrame(fctr, null, 0, frame);
        _visible = frame;
        _visibleIsControlAck = (fctr & 0xE0) == 0x80;
    }

    private void ReceiveFrame(byte[] frame)
    {
        if (Faults.CorruptToChip > 0)
        {
            Faults.CorruptToChip--;
            frame = (byte[])frame.Clone();
            frame[frame.Length / 2] ^= 0x10;
        }
        if (frame.Length < 5) return;
        int length = (frame[1] << 8) | frame[2];
        bool valid = length + 5 == frame.Length && Crc16Kermit.Compute(frame, 0, 3 + length) == ((frame[3 + length] << 8) | frame[4 + length]);
        byte fctr = frame[0];
        if ((fctr & 0x80) != 0)
        {
            if (!valid || length != 0) return;
            int seq = fctr & 0x60;
            if (seq == 0x40) { _rxSeq = _txSeq = 3; return; }             /* resync */
            if (seq == 0x20 && _lastDataFrame is not null) { _visible = _lastDataFrame; return; } /* NAK: resend */
            if (seq == 0x00 && (fctr & 3) == _txSeq) SendNextPacket();    /* ACK: next fragment, if any */
            return;
        }
        if (Faults.DropToChip > 0)
        {
            Faults.DropToChip--;
            return;
        }
        if (!valid || length == 0)
        {
            QueueControl((byte)(0xA0 | ((_rxSeq + 1) & 3)));
            return;
        }
        int frameNumber = (fctr >> 2) & 3;
        if (frameNumber != ((_rxSeq + 1) & 3))
        {
            QueueControl((byte)(0x80 | _rxSeq)); /* a repeat of what we have: ACK it again */
            if (_lastDataFrame is not null && frameNumber == _rxSeq) _visible = _lastDataFrame;
            return;
        }
        _rxSeq = frameNumber;
        ReceivePacket(frame.AsSpan(3, length).ToArray());
    }

    private void ReceivePacket(byte[] packet)
    {
        byte chain = (byte)(packet[0] & TransportLayer.ChainMask);
        bool start = chain is TransportLayer.ChainNone or TransportLayer.ChainFirst;
        if (start)
        {
            _incoming.Clear();
            _incomingPresence = (packet[0] & TransportLayer.Presence) != 0;
        }
        else if (_incomingChain is not (TransportLayer.ChainFirst or TransportLayer.ChainIntermediate)) { QueueControl((byte)(0x80 | _rxSeq)); return; }
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
