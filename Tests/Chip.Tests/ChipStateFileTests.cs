using SecureOta.ChipEmulator;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// chip-emu show/load of a file that is JSON but no chip state (issue 17, C3): before, `chip-emu show`
/// of {} threw a NullReferenceException; now it is InvalidDataException, which chip-emu prints as one
/// line with exit code 2.
/// </summary>
public sealed class ChipStateFileTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"ApplicationLcs\":7}")]
    [InlineData("{\"ApplicationLcs\":7,\"Objects\":[{\"Oid\":57568}]}")]
    [InlineData("{\"ApplicationLcs\":7,\"Objects\":[null]}")]
    public void JsonThatIsNoChipState_IsInvalidData(string json)
    {
        File.WriteAllText(_file, json);
        var e = Assert.Throws<InvalidDataException>(() => ChipState.Load(_file));
        Assert.Contains("not a chip state", e.Message);
    }

    [Fact]
    public void AProvisionedState_RoundTrips()
    {
        using var vendor = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var state = ChipState.Provision(ChipState.TrustAnchorCertificate(vendor), new byte[32]);
        state.Save(_file);
        var loaded = ChipState.Load(_file);
        Assert.Equal(state.Objects.Count, loaded.Objects.Count);
        Assert.Equal(state.Objects[ChipState.OidTrustAnchor].Data, loaded.Objects[ChipState.OidTrustAnchor].Data);
    }
}
