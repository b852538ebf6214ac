using SecureOta.ChipEmu;
using SecureOta.ChipEmulator;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>`chip-emu trace` prints the datasheet's bus trace (OPTIGA Trust X datasheet Tables 22-24).</summary>
public sealed class TraceTests
{
    [Fact]
    public void TheDriverProducesTheDatasheetTrace()
    {
        var (lines, uid) = TraceScenario.Run(ChipState.Factory(ChipPart.TrustX));
        Assert.True(uid.IsOk);
        string[] expected =
        [
            "W 82", "R 08 00 00 00",
            "W 80 03 00 15 00 70 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C 04 1A",
            "W 82", "R C8 00 00 05",
            "W 80", "R 80 00 00 0C EC",
            "W 82", "R 48 00 00 0A",
            "W 80", "R 00 00 05 00 00 00 00 00 14 87",
            "W 80 80 00 00 0C EC",
            "W 80 04 00 0B 00 01 00 00 06 E0 C2 00 00 00 64 F0 9F",
            "W 82", "R 48 00 00 25",
            "W 80", null!, /* the response carries this chip's random UID: checked below */
            "W 80 81 00 00 56 30",
        ];
        Assert.Equal(expected.Length, lines.Count);
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] is not null) Assert.Equal(expected[i], lines[i]);
        Assert.StartsWith("R 05 00 20 00 00 00 00 1B CD", lines[16]);
    }
}
