using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.I2c;
using SecureOta.FactoryStation;
using SecureOta.UpdateTool.Keys;
using Xunit;

namespace SecureOta.Hsm.Tests;

/// <summary>A bus that fails every write from the n-th on, for a number of writes (a cable knocked mid-way).</summary>
internal sealed class FlakyBus(II2cTransport inner, int failFrom, int failures) : II2cTransport
{
    private int _writes;
    public I2cStatus Write(byte[] buffer, int offset, int count)
    {
        int n = ++_writes;
        return n >= failFrom && n < failFrom + failures ? I2cStatus.BusError : inner.Write(buffer, offset, count);
    }

    public I2cStatus Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
}

/// <summary>The factory station with the keys in the token, on emulated chips of both parts.</summary>
[Collection(SoftHsmCollection.Name)]
public sealed class StationTests(SoftHsm hsm) : IDisposable
{
    private readonly ECDsa _vendor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _classId = RandomNumberGenerator.GetBytes(16);
    private readonly string _dir = Directory.CreateTempSubdirectory("station-").FullName;

    public void Dispose()
    {
        _vendor.Dispose();
        Directory.Delete(_dir, true);
    }

    private Station NewStation(SecureOta.Pkcs11.Pkcs11Token token) =>
        new(new TokenStationKeys(token, "device-ca", hsm.CaCertificate, "master"), ChipState.TrustAnchorCertificate(_vendor), _classId, hsm.ClassPublic);

    private static (ChipState State, SecureOta.ChipEmulator.ChipEmulator Chip, VirtualClock Clock) FactoryChip(ChipPart part, byte[]? classKey)
    {
        var state = ChipState.Factory(part, classKey);
        var clock = new VirtualClock();
        var chip = new SecureOta.ChipEmulator.ChipEmulator(state, clock);
        chip.PowerCycle();
        return (state, chip, clock);
    }

    [Theory]
    [InlineData("trust-m")]
    [InlineData("trust-x")]
    public void AChipOfEitherPart_IsProvisionedLockedAndReadBack_ThenNeverAgain(string partName)
    {
        using var token = hsm.Open();
        var part = ChipPart.Named(partName);
        var (state, chip, clock) = FactoryChip(part, part == ChipPart.TrustX ? token.ExportPrivateKeyForPersonalisation("class") : null);
        var station = NewStation(token);
        var result = station.Provision(new SecurityChip(chip, clock), "dev-42");
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(partName, result.Part);
        Assert.Equal(Convert.ToHexString(state.Objects[ChipState.OidUid].Data).ToLowerInvariant(), result.Uid);

        // The certificate chains to the device CA and names the device; it is the chip's own key's.
        using var cert = X509CertificateLoader.LoadCertificate(state.Objects[ChipState.OidDeviceCert].Data);
        Assert.Equal("CN=dev-42", cert.Subject);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(hsm.CaCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(cert));
        var agent = new SecurityChip(chip, clock);
        if (part == ChipPart.TrustM) agent.EnableShieldedConnection(result.PlatformBindingSecret!, new SecureOta.Core.Crypto.Sha256(), new SecureOta.Core.Crypto.ManagedAesFactory());
        Assert.True(agent.Reset().IsOk);
        var digest = RandomNumberGenerator.GetBytes(32);
        Assert.True(cert.GetECDsaPublicKey()!.VerifyHash(digest, agent.Sign(SecurityChip.OidDeviceKey, digest).Data, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        if (part == ChipPart.TrustM)
        {
            var data = SecureOta.Core.Suit.KekDerivation.DerivationData(new byte[32], _classId);
            Assert.Equal(new TokenKekSource(token, "master").DeriveKek(data), agent.DeriveKeyExport(SecurityChip.OidUpdateMasterSecret, data, 16).Data);
            Assert.False(agent.Read(SecurityChip.OidUpdateMasterSecret, 0, 1).IsOk);
        }
        Assert.False(agent.Execute(new SecureOta.Drivers.Chip.Commands.SetDataObject(SecurityChip.OidUpdateTrustAnchor, 0, [1], 0x40)).IsOk);

        var again = station.Provision(new SecurityChip(chip, clock), "dev-42");
        Assert.False(again.Ok);
        Assert.True(again.Reason.Contains("already provisioned"), again.Reason);
        Assert.Equal(state.Objects[ChipState.OidDeviceCert].Data, cert.RawData); /* nothing changed */
    }

    [Fact]
    public void ATrustXWithoutTheClassKey_IsRejected_AndMarked()
    {
        using var token = hsm.Open();
        var (state, chip, clock) = FactoryChip(ChipPart.TrustX, null);
        var result = NewStation(token).Provision(new SecurityChip(chip, clock), "dev-7");
        Assert.False(result.Ok);
        Assert.Contains("class key", result.Reason);
        Assert.Contains("marked", result.Reason);
        Assert.Equal(0x0F, state.ApplicationLcs);
    }

    [Theory]
    [InlineData(45)]
    [InlineData(70)]
    [InlineData(95)]
    public void ABusFaultMidWay_LeavesTheChipRejectedAndMarked_NeverOperational(int failFrom)
    {
        using var token = hsm.Open();
        var (state, chip, clock) = FactoryChip(ChipPart.TrustM, null);
        var station = NewStation(token);
        var result = station.Provision(new SecurityChip(new FlakyBus(chip, failFrom, 6), clock), "dev-9");
        Assert.False(result.Ok);
        Assert.StartsWith("rejected: ", result.Reason);
        Assert.DoesNotContain("nothing written", result.Reason); /* the fault hit after the station began writing */
        Assert.NotEqual(0x07, state.ApplicationLcs);
        if (result.Reason.Contains("(marked"))
        {
            Assert.Equal(0x0F, state.ApplicationLcs);
            var retry = station.Provision(new SecurityChip(chip, clock), "dev-9");
            Assert.False(retry.Ok);
            Assert.Contains("rejected before", retry.Reason);
        }
        var log = Path.Combine(_dir, "provisioning.log");
        ProvisioningLog.Append(log, result);
        Assert.Contains("\trejected\t", File.ReadAllLines(log)[1]);
    }

    [Fact]
    public void AProvisionedChipThatDoesNotAnswer_IsLeftAsItIs_NotMarked()
    {
        using var token = hsm.Open();
        var (state, chip, clock) = FactoryChip(ChipPart.TrustM, null);
        var station = NewStation(token);
        Assert.True(station.Provision(new SecurityChip(chip, clock), "dev-1").Ok);
        var result = station.Provision(new SecurityChip(new FlakyBus(chip, 1, 10_000), clock), "dev-1");
        Assert.False(result.Ok);
        Assert.Contains("nothing written to the chip", result.Reason);
        Assert.Equal(0x07, state.ApplicationLcs);
    }

    [Fact]
    public void OverChipEmuServe_TheStationProvisionsThroughTheSocket()
    {
        using var token = hsm.Open();
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Agent.sln"))) root = root.Parent!;
        var chipEmu = Path.Combine(root.FullName, "out", "bin", "chip-emu");
        Assert.True(File.Exists(chipEmu), "out/bin/chip-emu is missing: run 'make build' first");
        var statePath = Path.Combine(_dir, "chip.json");
        ChipState.Factory(ChipPart.TrustX, token.ExportPrivateKeyForPersonalisation("class")).Save(statePath);
        var socket = Path.Combine(_dir, "chip.sock");
        using var serve = Process.Start(new ProcessStartInfo(chipEmu, ["serve", "--state", statePath, "--socket", socket]) { RedirectStandardError = true })!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(socket) && DateTime.UtcNow < deadline && !serve.HasExited) Thread.Sleep(50);
            Assert.True(File.Exists(socket), "chip-emu serve did not open its socket");
            StationResult result;
            using (var bus = new BusClient(socket))
            {
                result = NewStation(token).Provision(new SecurityChip(bus, new ServedChipClock(bus)), "dev-s");
            }
            Assert.True(result.Ok, result.Reason);
            using (var bus = new BusClient(socket))
            {
                var again = NewStation(token).Provision(new SecurityChip(bus, new ServedChipClock(bus)), "dev-s");
                Assert.Contains("already provisioned", again.Reason);
            }
        }
        finally
        {
            if (!serve.HasExited) serve.Kill();
            serve.WaitForExit();
        }
        Assert.Equal(0x07, ChipState.Load(statePath).ApplicationLcs); /* saved when the stream ended */
    }
}
