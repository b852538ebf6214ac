using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The emulated chip's persistent state: its data and key objects with metadata, and the global life
/// cycle. Saved to a JSON file so a simulated device keeps its chip across reboots. Provisioned the
/// way a secure factory does it (white paper 000, section 5.3): device key and certificate, trust
/// anchor, update master secret (PRESSEC, read NEV), platform binding secret, counters; then locked.
/// </summary>
public sealed class ChipState
{
    public const int OidUid = 0xE0C2, OidMaxComBuffer = 0xE0C6, OidDeviceCert = 0xE0E0, OidTrustAnchor = 0xE0EF,
        OidDeviceKey = 0xE0F0, OidCounter0 = 0xE120, OidPlatformBinding = 0xE140, OidLcsA = 0xF1C0, OidMasterSecret = 0xF1D0;

    public Dictionary<int, DataObject> Objects { get; } = new();
    public byte ApplicationLcs { get; set; } = DataObject.LcsCreation;

    /// <summary>A chip as it leaves Infineon: UID, buffer size, an empty device key slot, free data objects.</summary>
    public static ChipState Factory()
    {
        var s = new ChipState();
        var uid = new byte[27];
        uid[0] = 0xCD;
        RandomNumberGenerator.Fill(uid.AsSpan(1));
        uid[25] = 0x10; uid[26] = 0x48; /* a Trust X build number (bytes 25-26) */
        s.Add(new DataObject { Oid = OidUid, Data = uid, MaxSize = 27, Change = null, Lcs = DataObject.LcsOperational });
        s.Add(new DataObject { Oid = OidMaxComBuffer, Data = [0x06, 0x15], MaxSize = 2, Change = null, Lcs = DataObject.LcsOperational });
        for (int oid = 0xF1D0; oid <= 0xF1DF; oid++) s.Add(new DataObject { Oid = oid, MaxSize = 100 });
        s.Add(new DataObject { Oid = OidTrustAnchor, MaxSize = 1200, Type = DataObject.TypeTrustAnchor });
        s.Add(new DataObject { Oid = OidDeviceCert, MaxSize = 1728, Type = DataObject.TypeDeviceCert });
        for (int oid = 0xE120; oid <= 0xE123; oid++)
            s.Add(new DataObject { Oid = oid, Data = [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF], MaxSize = 8, Type = DataObject.TypeUpCounter });
        s.Add(new DataObject { Oid = OidPlatformBinding, MaxSize = 64, Type = DataObject.TypePlatformBinding, Read = [AccessCondition.Never] });
        return s;
    }

    /// <summary>Factory provisioning, then lock: secrets can never be read back or replaced afterwards.</summary>
    public static ChipState Provision(byte[] trustAnchorCertificateDer, byte[] masterSecret, byte[]? platformBindingSecret = null)
    {
        if (masterSecret.Length is < 16 or > 64) throw new ArgumentException("the update master secret is 16..64 bytes");
        var s = Factory();
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        s.Add(new DataObject
        {
            Oid = OidDeviceKey, MaxSize = 0, PrivateKey = deviceKey.ExportPkcs8PrivateKey(),
            Change = [AccessCondition.Never], Read = [AccessCondition.Never], Execute = [AccessCondition.Always],
        });
        var request = new CertificateRequest("CN=secure-ota device", deviceKey, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20));
        s.Objects[OidDeviceCert].Data = cert.RawData;
        s.Objects[OidTrustAnchor].Data = trustAnchorCertificateDer;
        var secret = s.Objects[OidMasterSecret];
        secret.Data = masterSecret;
        secret.Type = DataObject.TypePresSec;
        secret.Read = [AccessCondition.Never];
        s.Objects[OidPlatformBinding].Data = platformBindingSecret ?? RandomNumberGenerator.GetBytes(64);
        // Lock: change only while LcsO < operational, then move every provisioned object to operational.
        foreach (var oid in new[] { OidTrustAnchor, OidDeviceCert, OidMasterSecret, OidPlatformBinding })
        {
            s.Objects[oid].Change = [AccessCondition.LcsO, AccessCondition.OpLess, DataObject.LcsOperational];
            s.Objects[oid].Lcs = DataObject.LcsOperational;
        }
        for (int oid = OidCounter0; oid <= 0xE123; oid++) s.Objects[oid].Change = [AccessCondition.LcsO, AccessCondition.OpLess, DataObject.LcsOperational];
        s.ApplicationLcs = DataObject.LcsOperational;
        return s;
    }

    /// <summary>
    /// The trust anchor object holds a certificate: wraps the vendor's public key in one, issued by a
    /// throw-away key (the chip uses only the public key inside).
    /// </summary>
    public static byte[] TrustAnchorCertificate(ECDsa vendorPublicKey)
    {
        using var issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=vendor update key", vendorPublicKey, HashAlgorithmName.SHA256);
        using var cert = request.Create(new X500DistinguishedName("CN=vendor update key"), X509SignatureGenerator.CreateForECDsa(issuer),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20), [1]);
        return cert.RawData;
    }

    public void Add(DataObject o) => Objects[o.Oid] = o;

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(
        new Snapshot(ApplicationLcs, Objects.Values.Select(o => new SnapshotObject(o.Oid, o.Data, o.MaxSize, o.Type, o.Lcs, o.Change, o.Read, o.Execute, o.PrivateKey)).ToList())));

    public static ChipState Load(string path)
    {
        var snap = JsonSerializer.Deserialize<Snapshot>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: not a chip state");
        // A file that is JSON but not a chip state ({} for one) has no objects: say so (issue 17, C3).
        if (snap.Objects is null || snap.Objects.Any(o => o is null || o.Data is null))
            throw new InvalidDataException($"{path}: not a chip state written by chip-emu provision (no objects, or an object without data)");
        var s = new ChipState { ApplicationLcs = snap.ApplicationLcs };
        foreach (var o in snap.Objects)
            s.Add(new DataObject { Oid = o.Oid, Data = o.Data, MaxSize = o.MaxSize, Type = o.Type, Lcs = o.Lcs, Change = o.Change, Read = o.Read, Execute = o.Execute, PrivateKey = o.PrivateKey });
        return s;
    }

    private sealed record Snapshot(byte ApplicationLcs, List<SnapshotObject> Objects);
    private sealed record SnapshotObject(int Oid, byte[] Data, int MaxSize, byte Type, byte Lcs, byte[]? Change, byte[]? Read, byte[]? Execute, byte[]? PrivateKey);
}
