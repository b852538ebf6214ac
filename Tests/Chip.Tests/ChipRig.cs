using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>A provisioned, locked emulated chip on a virtual clock, and the real driver talking to it.</summary>
public sealed class ChipRig : IDisposable
{
    public ECDsa VendorKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public byte[] MasterSecret { get; } = RandomNumberGenerator.GetBytes(32);
    public VirtualClock Clock { get; } = new();
    public ChipState State { get; }
    public SecureOta.ChipEmulator.ChipEmulator Emulator { get; }
    public SecurityChip Driver { get; }

    /// <summary>The class's key-agreement key (PKCS#8), in E0F1 of both parts.</summary>
    public byte[] ClassKey { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKey();

    public ChipRig(ChipPart? part = null)
    {
        var request = new CertificateRequest("CN=vendor update key", VendorKey, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        State = part == ChipPart.TrustX ? ChipState.ProvisionTrustX(cert.RawData, ClassKey) : ChipState.Provision(cert.RawData, MasterSecret, classKeyPkcs8: ClassKey);
        Emulator = new SecureOta.ChipEmulator.ChipEmulator(State, Clock);
        Driver = new SecurityChip(Emulator, Clock);
    }

    public ChipResult Open() => Driver.Open();

    /// <summary>A rig for the part with OpenApplication done (asserted).</summary>
    public static ChipRig Opened(ChipPart part)
    {
        var rig = new ChipRig(part);
        Assert.True(rig.Open().IsOk);
        return rig;
    }

    /// <summary>One InData TLV as the command set writes it: tag, 2-byte length, value (SRM-M "Command definitions").</summary>
    public static byte[] Tlv(byte tag, byte[] value) => [tag, (byte)(value.Length >> 8), (byte)value.Length, .. value];

    /// <summary>Any APDU, built from its command, parameter and InData (the length written for it).</summary>
    public ChipResult Raw(byte cmd, byte param, byte[] data) =>
        Driver.Execute(new RawCommand(Convert.ToHexString([cmd, param, (byte)(data.Length >> 8), (byte)data.Length, .. data])));

    public (byte[] Digest, byte[] Signature) SignedByVendor(byte[] message)
    {
        var digest = SHA256.HashData(message);
        return (digest, VendorKey.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    public void Dispose() => VendorKey.Dispose();
}
