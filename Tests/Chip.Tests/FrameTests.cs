using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>Frames and APDUs byte for byte against the datasheet traces (optiga-trust.md 1.2, 1.6).</summary>
public sealed class FrameTests
{
    private static string Frame(byte fctr, byte[]? packet)
    {
        var frame = new byte[(packet?.Length ?? 0) + 5];
        DataLinkLayer.BuildFrame(fctr, packet, packet?.Length ?? 0, frame);
        return Convert.ToHexString(frame);
    }

    [Fact]
    public void Crc16Kermit_CheckValue() => Assert.Equal(0x2189, Crc16Kermit.Compute("123456789"u8.ToArray(), 0, 9));

    [Theory]
    [InlineData(0x80, "8000000CEC")]
    [InlineData(0x81, "8100005630")]
    [InlineData(0x82, "820000B954")]
    [InlineData(0x83, "830000E388")]
    [InlineData(0xA0, "A000000FD7")]
    [InlineData(0xA1, "A10000550B")]
    [InlineData(0xC0, "C000000A9A")]
    public void ControlFrames_MatchTheReference(byte fctr, string expected) => Assert.Equal(expected, Frame(fctr, null));

    [Fact]
    public void OpenApplicationFrame_IsTheDatasheetsFirstWrite()
    {
        byte[] packet = [0x00, .. new OpenApplication().GetBytes()];
        Assert.Equal("0300150070000010D2760000044765" + "6E41757468" + "4170706C" + "041A", Frame(0x03, packet));
    }

    [Fact]
    public void GetDataObjectFrame_IsTheDatasheetsSecondCommand()
    {
        byte[] packet = [0x00, .. new GetDataObject(0xE0C2, 0, 0x64).GetBytes()];
        Assert.Equal("04000B0001000006E0C200000064F09F", Frame(0x04, packet));
    }

    [Fact]
    public void EmptyResponseFrame_MatchesTheDatasheet() => Assert.Equal("0000050000000000" + "1487", Frame(0x00, [0x00, 0x00, 0x00, 0x00, 0x00]));

    [Fact]
    public void Commands_ProduceTheirApdus()
    {
        Assert.Equal("01010002F1C2", Convert.ToHexString(GetDataObject.Metadata(0xF1C2).GetBytes()));
        Assert.Equal("0C0000020020", Convert.ToHexString(new GetRandom(32).GetBytes()));
        Assert.Equal("020200051234000001", Convert.ToHexString(new SetDataObject(0x1234, 0, [0x01], SetDataObject.ParamCount).GetBytes()));
        var derive = new DeriveKey(0xF1D0, new byte[8], 16, 0).GetBytes();
        Assert.Equal("34010018" + "010002F1D0" + "020008" + "0000000000000000" + "0300020010" + "070000", Convert.ToHexString(derive));
        var verify = new VerifySign(new byte[32], EcdsaSignature.ToChip(new byte[64]), 0xE0EF).GetBytes();
        Assert.Equal("3211", Convert.ToHexString(verify[..2]));
        Assert.Equal("040002E0EF", Convert.ToHexString(verify[^5..]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GetRandom(7));
    }

    [Fact]
    public void EcdsaSignature_ConvertsBothWays_WithMinimalIntegers()
    {
        var raw = new byte[64];
        raw[0] = 0x80; raw[31] = 1;  // r has its top bit set: needs a 00 pad
        raw[62] = 0x12; raw[63] = 0x34; // s is small: minimal length 2
        var chip = EcdsaSignature.ToChip(raw);
        Assert.Equal("022100" + Convert.ToHexString(raw[..32]) + "02021234", Convert.ToHexString(chip));
        Assert.Equal(raw, EcdsaSignature.FromChip(chip));
        Assert.Null(EcdsaSignature.FromChip([0x02, 0x01]));
    }
}
