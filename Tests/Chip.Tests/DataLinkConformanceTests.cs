using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// The chip's side of the IFX I2C data link tables (I2C-203 Tables 3-2 receiver, 3-3 transmitter; the
/// host's implementation of the same rows: X-DL ifx_i2c_pl_event_handler), one row per test, plus the
/// network layer's PCTR rule. Frames are written by hand; the host's side of the same rows is the
/// driver's, covered by FaultTests.
/// </summary>
public sealed class DataLinkConformanceTests : IDisposable
{
    private readonly ChipRig _rig = new();
    private readonly RawBus _bus;

    public DataLinkConformanceTests()
    {
        _bus = new RawBus(_rig.Emulator, _rig.Clock);
        _rig.Clock.Advance(20_000); /* past the start-up time */
    }

    public void Dispose() => _rig.Dispose();

    private static byte[] Packet(ChipCommand c) => [0x00, .. c.GetBytes()];

    // Opens the application with frame 0 and acknowledges the response: chip tx 0, rx 0 afterwards.
    private void OpenRaw()
    {
        _bus.Send(RawBus.Data(0, 3, Packet(new OpenApplication())));
        var ack = _bus.Receive(100);
        Assert.Equal("8000000CEC", RawBus.Hex(ack));
        var response = _bus.Receive();
        Assert.Equal("00000500000000001487", RawBus.Hex(response));
        _bus.Send(RawBus.Frame(0x80, null));
    }

    [Fact]
    public void ARepeatedFrame_IsAcknowledgedAgainAndDiscarded_NeverAnsweredWithAnOldResponse()
    {
        OpenRaw();
        var get = RawBus.Data(1, 0, Packet(new GetDataObject(0xE0C6, 0, 2)));
        _bus.Send(get);
        var first = _bus.Receive();                       /* the response, ACK piggy-backed */
        Assert.Equal(0x05, first[0]);
        _bus.Send(RawBus.Frame(0x81, null));
        // The host repeats the next command (say its ACK was damaged): once, then again.
        var uid = RawBus.Data(2, 1, Packet(new GetDataObject(0xE0C2, 0, 27)));
        _bus.Send(uid);
        var response = _bus.Receive();
        _bus.Send(uid);
        Assert.Equal("820000B954", RawBus.Hex(_bus.Receive(100)));  /* ACK 2 again */
        Assert.Equal(0x0A, response[0]);                    /* data frame 2, ACK 2 */
        Assert.Equal(_rig.State.Objects[0xE0C2].Data, response[8..35]);
        _bus.Send(RawBus.Frame(0x82, null));
        Assert.Empty(_bus.Receive());                       /* nothing else: no stale response */
    }

    [Fact]
    public void ARepeatBeforeTheResponseIsRead_KeepsTheResponseBehindTheAck()
    {
        OpenRaw();
        var verify = RawBus.Data(1, 0, Packet(new GetRandom(16)));
        _bus.Send(verify);
        _bus.Send(verify);                                  /* repeated at once */
        Assert.Equal("8100005630", RawBus.Hex(_bus.Receive(100)));
        var response = _bus.Receive();
        Assert.Equal(0x05, response[0]);
        Assert.Equal(16 + 4 + 1 + 5, response.Length);
    }

    [Fact]
    public void ADamagedDataFrame_IsNakedNamingTheExpectedFrame()
    {
        OpenRaw();
        var frame = RawBus.Data(1, 0, Packet(new GetRandom(16)));
        frame[^1] ^= 0xFF;
        _bus.Send(frame);
        Assert.Equal("A10000550B", RawBus.Hex(_bus.Receive(100)));
    }

    [Theory]
    [InlineData(0x44)] /* SEQCTR resync in a data frame */
    [InlineData(0x64)] /* SEQCTR RFU */
    public void ADataFrameWithAControlSequenceValue_IsNaked(byte fctr)
    {
        OpenRaw();
        _bus.Send(RawBus.Frame(fctr, Packet(new GetRandom(16))));
        Assert.Equal("A10000550B", RawBus.Hex(_bus.Receive(100)));
    }

    [Fact]
    public void AnEmptyDataFrame_IsNaked()
    {
        OpenRaw();
        _bus.Send(RawBus.Frame(0x04, []));
        Assert.Equal("A10000550B", RawBus.Hex(_bus.Receive(100)));
    }

    [Fact]
    public void ADataFrameAcknowledgingAFrameNeverSent_IsDiscarded()
    {
        OpenRaw();
        _bus.Send(RawBus.Data(1, 2, Packet(new GetRandom(16))));   /* chip sent frame 0, not 2 */
        Assert.Empty(_bus.Receive());
    }

    [Fact]
    public void ANakForTheChipsFrame_MakesItSendTheFrameAgain_AndAnAckEndsIt()
    {
        OpenRaw();
        _bus.Send(RawBus.Data(1, 0, Packet(new GetRandom(16))));
        var response = _bus.Receive();
        _bus.Send(RawBus.Frame(0xA1, null));                     /* NAK 1: send frame 1 again */
        Assert.Equal(response, _bus.Receive(100));
        _bus.Send(RawBus.Frame(0x81, null));
        Assert.Empty(_bus.Receive(50_000));                     /* acknowledged: no more retransmissions */
    }

    [Fact]
    public void ADamagedControlFrame_MakesTheChipRetransmit()
    {
        OpenRaw();
        _bus.Send(RawBus.Data(1, 0, Packet(new GetRandom(16))));
        var response = _bus.Receive();
        var ack = RawBus.Frame(0x81, null);
        ack[4] ^= 0x01;
        _bus.Send(ack);
        Assert.Equal(response, _bus.Receive(100));
    }

    [Theory]
    [InlineData(0x90)] /* RFU bit 4 */
    [InlineData(0x85)] /* FRNR != 0 in a control frame */
    [InlineData(0xE1)] /* SEQCTR RFU */
    [InlineData(0xA3)] /* NAK naming a frame the chip did not send */
    [InlineData(0x83)] /* ACK for a frame the chip did not send */
    public void StrayControlFrames_AreDiscarded(byte fctr)
    {
        OpenRaw();
        _bus.Send(RawBus.Data(1, 0, Packet(new GetRandom(16))));
        _bus.Receive();
        _bus.Send(RawBus.Frame(fctr, null));
        Assert.Empty(_bus.Receive(100));
    }

    [Fact]
    public void AControlFrameWithALength_IsDiscarded()
    {
        OpenRaw();
        _bus.Send(RawBus.Data(1, 0, Packet(new GetRandom(16))));
        _bus.Receive();
        _bus.Send(RawBus.Frame(0xA1, [0x00]));
        Assert.Empty(_bus.Receive(100));
    }

    [Fact]
    public void NoAckWithinTransTimeout_TheChipRetransmits_AtMostTransRepeatTimes()
    {
        OpenRaw();
        _bus.Send(RawBus.Data(1, 0, Packet(new GetRandom(16))));
        var response = _bus.Receive();
        for (int i = 0; i < 3; i++) Assert.Equal(response, _bus.Receive(11_000));
        Assert.Empty(_bus.Receive(11_000));
    }

    [Fact]
    public void Resync_RestartsBothCountersAt3()
    {
        OpenRaw();
        _bus.Send(RawBus.Frame(0xC0, null));
        _bus.Send(RawBus.Data(0, 3, Packet(new GetRandom(16))));
        var response = _bus.Receive();
        Assert.Equal(0x00, response[0]);                        /* frame 0, ACK 0: numbering restarted */
    }

    [Fact]
    public void AFrameShorterThanAHeader_IsNaked()
    {
        OpenRaw();
        _bus.Send([0x04, 0x00]);
        Assert.Equal("A10000550B", RawBus.Hex(_bus.Receive(100)));
    }

    [Theory]
    [InlineData(0x10)] /* channel 1 */
    [InlineData(0x80)] /* channel 8 */
    [InlineData(0x03)] /* chain RFU */
    [InlineData(0x02)] /* intermediate without a first */
    public void AnInvalidPctr_IsAChainingError_AndNotExecuted(byte pctr)
    {
        OpenRaw();
        byte[] packet = [pctr, .. new GetRandom(16).GetBytes()];
        _bus.Send(RawBus.Data(1, 0, packet));
        Assert.Equal("8100005630", RawBus.Hex(_bus.Receive(100)));
        var error = _bus.Receive();
        Assert.Equal(RawBus.Hex(RawBus.Data(1, 1, [0x07])), RawBus.Hex(error));
    }

    [Fact]
    public void ThePresenceBit_OnATrustX_IsAChainingError()
    {
        using var rig = new ChipRig(ChipPart.TrustX);
        var bus = new RawBus(rig.Emulator, rig.Clock);
        rig.Clock.Advance(20_000);
        bus.Send(RawBus.Data(0, 3, [0x08, 0x00, 0x01]));        /* a Master Hello */
        bus.Receive(100);
        Assert.Equal(RawBus.Hex(RawBus.Data(0, 0, [0x07])), RawBus.Hex(bus.Receive()));
    }
}
