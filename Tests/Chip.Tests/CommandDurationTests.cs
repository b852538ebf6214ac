using System.Security.Cryptography;
using SecureOta.ChipEmulator;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// Each part takes its own datasheet's time for a command (CommandDurations): a Trust X signs in 60 ms
/// (DS-X Table 15); a Trust M V3 in 65 ms, 70 ms over the shielded connection, and derives the update key
/// with the TLS PRF in 50 / 55 ms (DS-M Table 18). Measured on the processor itself, so the bus and the
/// driver's polling do not blur the figure.
/// </summary>
public sealed class CommandDurationTests
{
    // The application identifier OpenApplication names (SRM-M "OpenApplication": D276000004 47656E417574684170706C).
    private static readonly byte[] OpenApplication = [0x70, 0x00, 0x00, 0x10, 0xD2, 0x76, 0x00, 0x00, 0x04, 0x47, 0x65, 0x6E, 0x41, 0x75, 0x74, 0x68, 0x41, 0x70, 0x70, 0x6C];

    private static ApduProcessor Opened(ChipState state, bool shielded)
    {
        var chip = new ApduProcessor(state);
        Assert.Equal(0x00, chip.Execute(OpenApplication).Response[0]);
        (chip.CommandProtected, chip.ResponseProtected) = (shielded, shielded);
        return chip;
    }

    private static ChipState Part(ChipPart part)
    {
        using var rig = new ChipRig(part);
        return rig.State;
    }

    private static byte[] Apdu(byte cmd, byte param, byte[] data) => [cmd, param, (byte)(data.Length >> 8), (byte)data.Length, .. data];

    // CalcSign 31 11: 01 digest (32 bytes), 03 key OID E0F0 (the device key).
    private static byte[] SignWithDeviceKey() =>
        Apdu(0x31, 0x11, [0x01, 0x00, 0x20, .. SHA256.HashData("check-in"u8), 0x03, 0x00, 0x02, 0xE0, 0xF0]);

    // DeriveKey 34 01 (TLS PRF SHA-256): 01 secret OID F1D0, 02 derivation data (32 bytes), 03 key length 32, 07 export.
    private static byte[] DeriveFromMasterSecret() =>
        Apdu(0x34, 0x01, [0x01, 0x00, 0x02, 0xF1, 0xD0, 0x02, 0x00, 0x20, .. new byte[32], 0x03, 0x00, 0x02, 0x00, 0x20, 0x07, 0x00, 0x00]);

    [Theory]
    [InlineData(ChipPart.TrustXName, false, 60_000)]
    [InlineData(ChipPart.TrustMName, false, 65_000)]
    [InlineData(ChipPart.TrustMName, true, 70_000)]
    public void CalcSign_TakesThePartsDatasheetTime(string part, bool shielded, int expectedUs)
    {
        var chip = Opened(Part(ChipPart.Named(part)), shielded);
        var (response, us) = chip.Execute(SignWithDeviceKey());
        Assert.Equal(0x00, response[0]);
        Assert.Equal(expectedUs, us);
    }

    [Theory]
    [InlineData(false, 50_000)]
    [InlineData(true, 55_000)]
    public void ATrustMDerivesTheUpdateKey_InItsTlsPrfTime(bool shielded, int expectedUs)
    {
        var chip = Opened(Part(ChipPart.TrustM), shielded);
        var (response, us) = chip.Execute(DeriveFromMasterSecret());
        Assert.True(response[0] == 0x00, $"DeriveKey answered {Convert.ToHexString(response)}");
        Assert.Equal(expectedUs, us);
    }

    [Fact]
    public void ATrustXHashes_AtAThirdOfATrustMsRate()
    {
        // CalcHash 30 E2, start and final (01) of 1000 bytes: 2 ms + 200 µs per byte on a Trust X, 67 µs per byte on a Trust M.
        byte[] hash = Apdu(0x30, 0xE2, [0x01, 0x03, 0xE8, .. new byte[1000]]);
        Assert.Equal(202_000, Opened(Part(ChipPart.TrustX), false).Execute(hash).DurationUs);
        Assert.Equal(69_000, Opened(Part(ChipPart.TrustM), false).Execute(hash).DurationUs);
    }
}
