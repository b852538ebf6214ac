using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Crypto;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;

namespace SecureOta.FactoryStation;

/// <summary>What the station did with one chip: one line of the provisioning log.</summary>
public sealed record StationResult(string Uid, string DeviceId, string Part, bool Ok, string Reason, byte[]? Certificate, byte[]? PlatformBindingSecret)
{
    public string CertificateFingerprint => Certificate is null ? "-" : Convert.ToHexString(SHA256.HashData(Certificate)).ToLowerInvariant();
}

/// <summary>
/// The factory provisioning station (white paper 000 section 5.3; docs/factory.md): provisions one
/// chip through the project's driver over the bus, step by step, every step checked, and either
/// leaves it locked and read back, or marks it rejected (LcsA = termination, when the chip still
/// answers) so it is never shipped half-provisioned. A chip refused before anything was written
/// (provisioned already, rejected before, not answering) is left as it is:
///  1. warm reset and open; read the UID and the part; refuse a chip whose application is
///     operational (provisioned) or terminated (rejected before);
///  2. Trust M: a fresh platform binding secret into E140, then the shielded connection for the rest;
///  3. the device key generated inside the chip (GenKeyPair into E0F2, usage Auth and Sign);
///  4. its certificate issued by the vendor's device CA (the CA key in the token), written to E0E1;
///  5. the trust anchor (the vendor's update key certificate) into E0EF, and when given the update channel's
///     trust anchor (the certificate of the server's channel key, issue 18) into E0E8;
///  6. Trust M: the update master secret into F1D0 (over the shielded connection) as PRESSEC, read NEV;
///     Trust X: the chip maker's class key in E0F1 is checked, the anti-rollback object F1D1 zeroed;
///  7. locked: every written object to LcsO operational with change "LcsO &lt; op" (the key: NEV),
///     then the application's LcsA to operational;
///  8. read back: certificate and trust anchor equal, locks in the metadata, the device key signs what
///     its certificate verifies, the master secret unreadable and deriving what the token derives (Trust M),
///     the class key agreeing with the class public key (Trust X).
/// </summary>
public sealed class Station(IStationKeys keys, byte[] trustAnchorCertificate, byte[] classId, ECParameters? classPublicKey)
{
    public const int OidDeviceKey = SecurityChip.OidDeviceKey, OidDeviceCert = SecurityChip.OidDeviceCertificate, OidTrustAnchor = SecurityChip.OidUpdateTrustAnchor;
    public const int OidPlatformBinding = 0xE140, OidLcsA = 0xF1C0, OidUid = 0xE0C2;
    private const byte LcsOperational = 0x07, LcsTerminated = 0x0F;
    private static readonly byte[] Lock = [0x20, 0x08, 0xC0, 0x01, LcsOperational, 0xD0, 0x03, 0xE1, 0xFC, LcsOperational];

    private sealed class Rejected(string reason) : Exception(reason);

    /// <summary>The certificate of the update server's channel key (freshness statements), written to E0E8 and locked; null: none.</summary>
    public byte[]? ChannelTrustAnchor { get; init; }

    public StationResult Provision(SecurityChip chip, string? deviceId)
    {
        string uid = "-", part = "-";
        byte[]? certificate = null, binding = null;
        string id = deviceId ?? "-";
        bool touched = false;
        try
        {
            // A warm reset first, as the agent does: whatever talked to the chip before (a previous
            // station run, a test) may have left its frame counters or a session behind.
            Need(chip.Reset(), "reset and open the chip");
            part = chip.PartName;
            uid = Convert.ToHexString(Need(chip.Read(OidUid, 0, 27), "read the UID")).ToLowerInvariant();
            id = deviceId ?? uid;
            var lcs = Need(chip.Read(OidLcsA, 0, 1), "read the application life cycle (F1C0)");
            if (lcs.Length == 1 && lcs[0] == LcsOperational) return Refused(uid, id, part, "already provisioned (LcsA operational): a locked chip is never provisioned again");
            if (lcs.Length == 1 && lcs[0] == LcsTerminated) return Refused(uid, id, part, "rejected before (LcsA terminated)");
            touched = true; /* from here on a failure leaves a half-provisioned chip: it is marked */

            if (chip.Part == SecurityChip.PartTrustM)
            {
                binding = RandomNumberGenerator.GetBytes(64);
                Need(chip.Execute(new SetDataObject(OidPlatformBinding, 0, binding, SetDataObject.ParamEraseWrite)), "write the platform binding secret (E140)");
                chip.EnableShieldedConnection(binding, new DotNetSha256(), new DotNetAesFactory());
                Need(chip.Reset(), "open the shielded connection");
            }

            var generated = Need(chip.Execute(new GenKeyPair(OidDeviceKey, GenKeyPair.UsageAuth | GenKeyPair.UsageSign)), "generate the device key in the chip (E0F2)");
            if (generated.Length != 71 || generated[0] != 0x02 || generated[3] != 0x03 || generated[6] != 0x04) throw new Rejected("GenKeyPair answered no P-256 public key");
            using var devicePublic = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = generated[7..39], Y = generated[39..71] } });
            certificate = Issue(devicePublic, id);
            Need(chip.Execute(new SetDataObject(OidDeviceCert, 0, certificate, SetDataObject.ParamEraseWrite)), "write the device certificate (E0E1)");
            Need(chip.Execute(new SetDataObject(OidTrustAnchor, 0, trustAnchorCertificate, SetDataObject.ParamEraseWrite)), "write the trust anchor (E0EF)");

            var locked = new List<int> { OidDeviceCert, OidTrustAnchor };
            if (ChannelTrustAnchor is not null)
            {
                Need(chip.Execute(new SetDataObject(SecurityChip.OidChannelTrustAnchor, 0, ChannelTrustAnchor, SetDataObject.ParamEraseWrite)), "write the channel trust anchor (E0E8)");
                locked.Add(SecurityChip.OidChannelTrustAnchor);
            }
            if (chip.Part == SecurityChip.PartTrustM)
            {
                var secret = keys.TakeMasterSecret() ?? throw new Rejected("a Trust M needs the update master secret: none was given (--master-label)");
                try { Need(chip.Execute(new SetDataObject(SecurityChip.OidUpdateMasterSecret, 0, secret, SetDataObject.ParamEraseWrite)), "write the master secret (F1D0)"); }
                finally { CryptographicOperations.ZeroMemory(secret); }
                Need(WriteMetadata(chip, SecurityChip.OidUpdateMasterSecret, [0x20, 0x06, 0xE8, 0x01, 0x21, 0xD1, 0x01, 0xFF]), "make F1D0 a PRESSEC, read NEV");
                locked.Add(SecurityChip.OidUpdateMasterSecret);
                locked.Add(OidPlatformBinding);
                locked.Add(SecurityChip.OidRollbackCounter); /* its value then moves only by count (SetDataObject param 02) */
            }
            else
            {
                if (classPublicKey is null) throw new Rejected("a Trust X is checked against the class public key: none was given (--class-pub)");
                var meta = Need(chip.Execute(GetDataObject.Metadata(SecurityChip.OidClassKeyAgreementKey)), "find the class key (E0F1): the chip maker personalises it");
                if (!Convert.ToHexString(meta).Contains("E10120")) throw new Rejected("E0F1 holds no class key-agreement key (the chip maker personalises it)");
                Need(chip.Execute(new SetDataObject(SecurityChip.OidTrustXRollbackValue, 0, new byte[4], SetDataObject.ParamEraseWrite)), "zero the anti-rollback value (F1D1)");
            }
            foreach (var oid in locked) Need(WriteMetadata(chip, oid, Lock), $"lock {oid:X4}");
            Need(WriteMetadata(chip, OidDeviceKey, [0x20, 0x06, 0xC0, 0x01, LcsOperational, 0xD0, 0x01, 0xFF]), "lock the device key (change NEV)");
            Need(chip.Execute(new SetDataObject(OidLcsA, 0, [LcsOperational], SetDataObject.ParamWrite)), "set the application life cycle to operational");

            ReadBack(chip, certificate, devicePublic, locked);
            return new StationResult(uid, id, part, true, "provisioned and locked", certificate, binding);
        }
        catch (Rejected e)
        {
            return touched ? MarkRejected(chip, uid, id, part, e.Message) : Refused(uid, id, part, "rejected: " + e.Message + " (nothing written to the chip)");
        }
    }

    private void ReadBack(SecurityChip chip, byte[] certificate, ECDsa devicePublic, List<int> locked)
    {
        Same(Need(chip.Read(OidDeviceCert, 0, 0xFFFF), "read back the certificate"), certificate, "the device certificate read back differs");
        Same(Need(chip.Read(OidTrustAnchor, 0, 0xFFFF), "read back the trust anchor"), trustAnchorCertificate, "the trust anchor read back differs");
        if (ChannelTrustAnchor is not null)
            Same(Need(chip.Read(SecurityChip.OidChannelTrustAnchor, 0, 0xFFFF), "read back the channel trust anchor"), ChannelTrustAnchor, "the channel trust anchor read back differs");
        foreach (var oid in locked.Append(OidDeviceKey))
        {
            var meta = Convert.ToHexString(Need(chip.Execute(GetDataObject.Metadata(oid)), $"read the metadata of {oid:X4}"));
            if (!meta.Contains("C00107")) throw new Rejected($"{oid:X4} is not locked (metadata {meta})");
        }
        var challenge = RandomNumberGenerator.GetBytes(32);
        var signature = Need(chip.Sign(OidDeviceKey, challenge), "sign with the device key");
        if (!devicePublic.VerifyHash(challenge, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)) throw new Rejected("the device key's signature does not verify with its certificate");
        if (chip.Part == SecurityChip.PartTrustM)
        {
            if (chip.Read(SecurityChip.OidUpdateMasterSecret, 0, 1).IsOk) throw new Rejected("the master secret can be read back");
            if (chip.Read(OidPlatformBinding, 0, 1).IsOk) throw new Rejected("the platform binding secret can be read back");
            var data = Core.Suit.KekDerivation.DerivationData(RandomNumberGenerator.GetBytes(32), classId);
            var fromChip = Need(chip.DeriveKeyExport(SecurityChip.OidUpdateMasterSecret, data, 16), "derive a test KEK on the chip");
            Same(fromChip, keys.MasterKek(data), "the chip derives another KEK than the token: the master secret is wrong");
        }
        else
        {
            using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            var q = ephemeral.ExportParameters(false).Q;
            var z = Need(chip.SharedSecretExport(SecurityChip.OidClassKeyAgreementKey, [0x03, 0x42, 0x00, 0x04, .. q.X!, .. q.Y!]), "ECDH with the class key");
            using var classKey = ECDiffieHellman.Create(classPublicKey!.Value);
            Same(z, ephemeral.DeriveRawSecretAgreement(classKey.PublicKey), "the class key in E0F1 is not the class's (ECDH disagrees with --class-pub)");
        }
        var lcs = Need(chip.Read(OidLcsA, 0, 1), "read back the application life cycle");
        if (lcs.Length != 1 || lcs[0] != LcsOperational) throw new Rejected("the application life cycle is not operational");
    }

    private byte[] Issue(ECDsa devicePublic, string deviceId)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN={deviceId}"), devicePublic, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(keys.DeviceCa, true, false));
        var notAfter = DateTimeOffset.UtcNow.AddYears(20);
        if (notAfter > keys.DeviceCa.NotAfter) notAfter = keys.DeviceCa.NotAfter;
        using var cert = request.Create(keys.DeviceCa.SubjectName, keys.DeviceCaSigner, DateTimeOffset.UtcNow.AddDays(-1), notAfter, RandomNumberGenerator.GetBytes(16));
        using var withCa = X509CertificateLoader.LoadCertificate(cert.RawData);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(keys.DeviceCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(withCa)) throw new Rejected("the issued certificate does not chain to the device CA: is the CA certificate that of the token's key?");
        return cert.RawData;
    }

    private static ChipResult WriteMetadata(SecurityChip chip, int oid, byte[] metadata) =>
        chip.Execute(new SetDataObject(oid, 0, metadata, SetDataObject.ParamMetadata));

    private static byte[] Need(ChipResult r, string step) => r.IsOk ? r.Data : throw new Rejected($"{step}: {r}");

    private static void Same(byte[] a, byte[] b, string otherwise)
    {
        if (!CryptographicOperations.FixedTimeEquals(a, b)) throw new Rejected(otherwise);
    }

    private static StationResult Refused(string uid, string id, string part, string reason) => new(uid, id, part, false, reason, null, null);

    // A chip that failed is marked for the reject bin where it still answers: its application life cycle
    // goes to termination, which the station refuses ever after.
    private static StationResult MarkRejected(SecurityChip chip, string uid, string id, string part, string reason)
    {
        var marked = chip.Execute(new SetDataObject(OidLcsA, 0, [LcsTerminated], SetDataObject.ParamWrite)).IsOk
            || (chip.Reset().IsOk && chip.Execute(new SetDataObject(OidLcsA, 0, [LcsTerminated], SetDataObject.ParamWrite)).IsOk);
        return new StationResult(uid, id, part, false, "rejected: " + reason + (marked ? " (marked: LcsA terminated)" : " (could not be marked on the chip: set it aside)"), null, null);
    }
}
