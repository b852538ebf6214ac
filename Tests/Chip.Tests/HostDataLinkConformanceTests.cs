using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.I2c;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// A chip that answers from a script: each frame the driver reads is the next one queued (I2C_STATE
/// announces it), every frame the driver writes is recorded. For the host's rows of the data link
/// tables, which a correct chip never exercises.
/// </summary>
internal sealed class ScriptedChip : II2cTransport
{
    private byte _pointer;
    public Queue<byte[]> ToHost { get; } = new();
    public List<byte[]> FromHost { get; } = [];

    public I2cStatus Write(byte[] buffer, int offset, int count)
    {
        _pointer = buffer[offset];
        if (_pointer == PhysicalLayer.RegData && count > 1) FromHost.Add(buffer.AsSpan(offset + 1, count - 1).ToArray());
        return I2cStatus.Ok;
    }

    public I2cStatus Read(byte[] buffer, int offset, int count)
    {
        byte[] value = _pointer switch
        {
            PhysicalLayer.RegI2cState => ToHost.TryPeek(out var next) ? [0x48, 0x00, (byte)(next.Length >> 8), (byte)next.Length] : [0x08, 0, 0, 0],
            PhysicalLayer.RegData => ToHost.TryDequeue(out var f) ? f : [],
            _ => [],
        };
        for (int i = 0; i < count; i++) buffer[offset + i] = i < value.Length ? value[i] : (byte)0xFF;
        return I2cStatus.Ok;
    }
}

/// <summary>
/// The driver's side of the data link tables (X-DL ifx_i2c_pl_event_handler; I2C-203 Tables 3-2, 3-3),
/// one row per test, against a scripted chip: what the driver writes back is checked frame by frame.
/// </summary>
public sealed class HostDataLinkConformanceTests
{
    private readonly ScriptedChip _chip = new();
    private readonly VirtualClock _clock = new();
    private readonly DataLinkLayer _link;
    private static readonly byte[] Packet = [0x00, 0x0C, 0x00, 0x00, 0x02, 0x00, 0x10];
    private static readonly byte[] Response = [0x00, 0x00, 0x00, 0x00, 0x00];

    public HostDataLinkConformanceTests() => _link = new DataLinkLayer(new PhysicalLayer(_chip, _clock));

    private static string Hex(byte[] b) => Convert.ToHexString(b);
    private static byte[] F(byte fctr, byte[]? packet = null) => RawBus.Frame(fctr, packet);

    [Fact]
    public void AControlAck_CompletesTheSend()
    {
        _chip.ToHost.Enqueue(F(0x80));
        Assert.Equal(ChipErrors.Ok, _link.Send(Packet, Packet.Length));
        Assert.Equal(Hex(F(0x03, Packet)), Hex(_chip.FromHost[0]));
    }

    [Fact]
    public void AControlNak_OrADamagedControlFrame_ResendsTheFrame()
    {
        var damaged = F(0x80);
        damaged[4] ^= 1;
        _chip.ToHost.Enqueue(F(0xA0));
        _chip.ToHost.Enqueue(damaged);
        _chip.ToHost.Enqueue(F(0x80));
        Assert.Equal(ChipErrors.Ok, _link.Send(Packet, Packet.Length));
        Assert.Equal(3, _chip.FromHost.Count);
        Assert.All(_chip.FromHost, f => Assert.Equal(Hex(F(0x03, Packet)), Hex(f)));
    }

    [Theory]
    [InlineData(0x84)] /* FRNR != 0 */
    [InlineData(0xE0)] /* SEQCTR RFU */
    [InlineData(0x81)] /* ACKNR of a frame not sent */
    public void StrayControlFrames_AreDiscarded_AndTheRealAckCounts(byte fctr)
    {
        _chip.ToHost.Enqueue(F(fctr));
        _chip.ToHost.Enqueue(F(0x80));
        Assert.Equal(ChipErrors.Ok, _link.Send(Packet, Packet.Length));
        Assert.Single(_chip.FromHost);
    }

    [Fact]
    public void AControlFrameWithALength_IsDiscarded()
    {
        _chip.ToHost.Enqueue(F(0x80, [0x00]));
        _chip.ToHost.Enqueue(F(0x80));
        Assert.Equal(ChipErrors.Ok, _link.Send(Packet, Packet.Length));
        Assert.Single(_chip.FromHost);
    }

    [Fact]
    public void AResyncFromTheChip_RestartsNumbering_AndTheFrameGoesAgainAsFrame0()
    {
        _chip.ToHost.Enqueue(F(0x80));
        Assert.Equal(ChipErrors.Ok, _link.Send(Packet, Packet.Length)); /* frame 0 */
        _chip.ToHost.Enqueue(F(0xC0));
        _chip.ToHost.Enqueue(F(0x80));
        Assert.Equal(ChipErrors.Ok, _link.Send(Packet, Packet.Length));
        Assert.Equal(Hex(F(0x07, Packet)), Hex(_chip.FromHost[1]));     /* frame 1, ack 3 */
        Assert.Equal(Hex(F(0x03, Packet)), Hex(_chip.FromHost[2]));     /* after the resync: frame 0, ack 3 */
    }

    [Fact]
    public void NoAnswerWithinTransTimeout_ResendsTheFrame()
    {
        // The chip's ACK appears only after the second write: the host must time out and resend.
        var sender = new DataLinkLayer(new PhysicalLayer(new DelayedChip(_chip, new Queue<byte[]>([F(0x80)]), 2), _clock));
        long start = _clock.NowMicroseconds;
        Assert.Equal(ChipErrors.Ok, sender.Send(Packet, Packet.Length));
        Assert.Equal(2, _chip.FromHost.Count);
        Assert.True(_clock.NowMicroseconds - start >= ChipTiming.TransTimeoutUs);
    }

    private sealed class DelayedChip(ScriptedChip inner, Queue<byte[]> later, int afterWrites) : II2cTransport
    {
        private int _writes;
        public I2cStatus Write(byte[] buffer, int offset, int count)
        {
            if (buffer[offset] == PhysicalLayer.RegData && count > 1 && ++_writes == afterWrites) while (later.Count > 0) inner.ToHost.Enqueue(later.Dequeue());
            return inner.Write(buffer, offset, count);
        }

        public I2cStatus Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    }

    // Receiving: send frame 0 (acked), then the response rows.
    private void Sent()
    {
        _chip.ToHost.Enqueue(F(0x80));
        Assert.Equal(ChipErrors.Ok, _link.Send(Packet, Packet.Length));
        _chip.FromHost.Clear();
    }

    [Theory]
    [InlineData(0x40)] /* SEQCTR resync in a data frame */
    [InlineData(0x60)] /* SEQCTR RFU */
    public void ADataFrameWithAControlSequence_IsNaked(byte seq)
    {
        Sent();
        _chip.ToHost.Enqueue(F((byte)(seq | 0x00), Response));
        _chip.ToHost.Enqueue(F(0x00, Response));
        var buffer = new byte[300];
        Assert.Equal(Response.Length, _link.Receive(buffer, 1_000_000));
        Assert.Equal(Hex(F(0xA0)), Hex(_chip.FromHost[0]));               /* NAK naming frame 0 */
        Assert.Equal(Hex(F(0x80)), Hex(_chip.FromHost[1]));               /* then ACK 0 */
    }

    [Fact]
    public void ADamagedDataFrame_IsNaked_AndTheResentOneAccepted()
    {
        Sent();
        var damaged = F(0x00, Response);
        damaged[5] ^= 0x40;
        _chip.ToHost.Enqueue(damaged);
        _chip.ToHost.Enqueue(F(0x00, Response));
        var buffer = new byte[300];
        Assert.Equal(Response.Length, _link.Receive(buffer, 1_000_000));
        Assert.Equal([Hex(F(0xA0)), Hex(F(0x80))], _chip.FromHost.Select(Hex).ToArray());
    }

    [Fact]
    public void AnEmptyDataFrame_IsNaked()
    {
        Sent();
        _chip.ToHost.Enqueue(F(0x00, []));
        _chip.ToHost.Enqueue(F(0x00, Response));
        var buffer = new byte[300];
        Assert.Equal(Response.Length, _link.Receive(buffer, 1_000_000));
        Assert.Equal(Hex(F(0xA0)), Hex(_chip.FromHost[0]));
    }

    [Fact]
    public void ARepeatedDataFrame_IsAckedAgainAndDiscarded()
    {
        Sent();
        _chip.ToHost.Enqueue(F(0x00, Response));
        var buffer = new byte[300];
        Assert.Equal(Response.Length, _link.Receive(buffer, 1_000_000));
        // The next exchange: the chip repeats its old frame 0 before the new frame 1.
        _chip.ToHost.Enqueue(F(0x81));
        Assert.Equal(ChipErrors.Ok, _link.Send(Packet, Packet.Length));  /* frame 1 */
        _chip.FromHost.Clear();
        _chip.ToHost.Enqueue(F(0x01, Response));                        /* old frame 0 again */
        _chip.ToHost.Enqueue(F(0x05, [0x00, 0x00, 0x00, 0x00, 0x01, 0xAB]));
        var n = _link.Receive(buffer, 1_000_000);
        Assert.Equal(6, n);
        Assert.Equal(Hex(F(0x80)), Hex(_chip.FromHost[0]));               /* ACK of the last good frame (0) */
        Assert.Equal(Hex(F(0x81)), Hex(_chip.FromHost[1]));               /* then ACK 1 for the new one */
    }

    [Fact]
    public void ADataFrameAcknowledgingAFrameNotSent_IsDiscarded()
    {
        Sent();
        _chip.ToHost.Enqueue(F(0x02, Response));                         /* frame 0, ACK 2: we sent frame 0 */
        _chip.ToHost.Enqueue(F(0x00, Response));
        var buffer = new byte[300];
        Assert.Equal(Response.Length, _link.Receive(buffer, 1_000_000));
        Assert.Equal([Hex(F(0x80))], _chip.FromHost.Select(Hex).ToArray());
    }

    [Fact]
    public void ADataFrameCarryingANak_ResendsOurFrame()
    {
        Sent();
        _chip.ToHost.Enqueue(F(0x20, Response));                         /* frame 0 with NAK 0 */
        _chip.ToHost.Enqueue(F(0x00, Response));
        var buffer = new byte[300];
        Assert.Equal(Response.Length, _link.Receive(buffer, 1_000_000));
        Assert.Equal(Hex(F(0x03, Packet)), Hex(_chip.FromHost[0]));       /* our frame 0 again */
    }

    [Fact]
    public void InReceiveOnlyMode_ControlFramesOtherThanResync_AreDiscarded()
    {
        Sent();
        _chip.ToHost.Enqueue(F(0x80));
        _chip.ToHost.Enqueue(F(0xA0));
        _chip.ToHost.Enqueue(F(0x00, Response));
        var buffer = new byte[300];
        Assert.Equal(Response.Length, _link.Receive(buffer, 1_000_000));
        Assert.Equal([Hex(F(0x80))], _chip.FromHost.Select(Hex).ToArray());
    }
}
