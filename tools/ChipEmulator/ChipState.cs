using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The emulated chip's persistent state: its data and key objects with metadata, and the global life
/// cycle. Saved to a JSON file so a simulated device keeps its chip across reboots. Provisioned the
/// way a secure factory does it (white paper 000, section 5.3): device key and certificate, trust
/// anchor, and by part: on a Trust M the update master secret (PRESSEC, read NEV), the platform binding
/// secret and the counters; on a Trust X the class's key-agreement key in E0F1, as the chip maker
/// personalises it (a Trust X cannot import a private key). Then locked.
/// </summary>
public sealed class ChipState
{
    public const int OidLcsG = 0xE0C0, OidSecurityStatusG = 0xE0C1, OidUid = 0xE0C2, OidSleepDelay = 0xE0C3, OidCurrentLimit = 0xE0C4,
        OidMaxComBuffer = 0xE0C6, OidInfineonCert = 0xE0E0, OidDeviceCert = 0xE0E1, OidTrustAnchor = 0xE0EF,
        OidInfineonKey = 0xE0F0, OidClassKey = 0xE0F1, OidDeviceKey = 0xE0F2, OidCounter0 = 0xE120, OidPlatformBinding = 0xE140, OidLcsA = 0xF1C0, OidSecurityStatusA = 0xF1C1,
        OidMasterSecret = 0xF1D0, OidTrustXCounter = 0xF1D1;

    /// <summary>Key usage (X-CMDH eKeyUsage_d): authentication, sign, key agreement.</summary>
    public const byte UsageAuth = 0x01, UsageEncryption = 0x02, UsageSign = 0x10, UsageKeyAgreement = 0x20;

    public Dictionary<int, DataObject> Objects { get; } = new();

    /// <summary>The key that authenticates exported CalcHash contexts: the chip's own, never on the bus.</summary>
    public byte[] ContextKey { get; private set; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>I2C_MODE's speed bits when written with DEF_MODE (persistent); 03 Sm&Fm from the factory (I2C-203 Table 2-1).</summary>
    public byte I2cMode { get; set; } = 0x03;

    /// <summary>Which part this chip is (saved with the state).</summary>
    public ChipPart Part { get; private set; } = ChipPart.TrustM;

    /// <summary>The application's life cycle state: object F1C0 (SRM-M "Common data structures", LcsA).</summary>
    public byte ApplicationLcs
    {
        get => Objects[OidLcsA].Data[0];
        set => Objects[OidLcsA].Data = [value];
    }

    /// <summary>
    /// A chip as it leaves Infineon: UID, buffer size, life cycle and status objects, Infineon's own key
    /// in E0F0 with its certificate in E0E0 (both locked: SRM-M "E0F0 ... CHA NEV"; the emulator's
    /// certificate comes from a stand-in CA), free key slots E0F1-E0F3 and data objects; with a class
    /// key, that key personalised into E0F1 by the chip maker (the only way a private key gets into a
    /// Trust X).
    /// </summary>
    public static ChipState Factory(ChipPart? part = null, byte[]? classKeyPkcs8 = null)
    {
        var s = new ChipState { Part = part ?? ChipPart.TrustM };
        var uid = new byte[27];
        uid[0] = 0xCD;
        RandomNumberGenerator.Fill(uid.AsSpan(1));
        // ESW build (bytes 25-26, BCD): 0x1048 is a Trust X build (PY _backend.py); 0x2440 stands for a Trust M V3 build.
        (uid[25], uid[26]) = s.Part.HasTrustMObjects ? ((byte)0x24, (byte)0x40) : ((byte)0x10, (byte)0x48);
        byte[] readOnly = [AccessCondition.Never];
        s.Add(new DataObject { Oid = OidUid, Data = uid, MaxSize = 27, Change = null, Lcs = DataObject.LcsOperational });
        s.Add(new DataObject { Oid = OidMaxComBuffer, Data = [0x06, 0x15], MaxSize = 2, Change = null, Lcs = DataObject.LcsOperational });
        // SRM-M "Common data structures" (the Trust X host names the same OIDs, X-UTIL eOID_d): one byte each.
        s.Add(new DataObject { Oid = OidLcsG, Data = [DataObject.LcsOperational], MaxSize = 1, Change = readOnly, Lcs = DataObject.LcsOperational });
        s.Add(new DataObject { Oid = OidSecurityStatusG, Data = [0x20], MaxSize = 1, Lcs = DataObject.LcsOperational });
        s.Add(new DataObject { Oid = OidSleepDelay, Data = [0x14], MaxSize = 1, Lcs = DataObject.LcsOperational });
        s.Add(new DataObject { Oid = OidCurrentLimit, Data = [0x06], MaxSize = 1, Lcs = DataObject.LcsOperational });
        s.Add(new DataObject { Oid = OidLcsA, Data = [DataObject.LcsCreation], MaxSize = 1, Lcs = DataObject.LcsOperational });
        s.Add(new DataObject { Oid = OidSecurityStatusA, Data = [0x00], MaxSize = 1, Lcs = DataObject.LcsOperational });
        for (int oid = 0xF1D0; oid <= 0xF1DF; oid++) s.Add(new DataObject { Oid = oid, MaxSize = 100 });
        for (int oid = 0xF1E0; oid <= 0xF1E1; oid++) s.Add(new DataObject { Oid = oid, MaxSize = 1500 });
        s.Add(new DataObject { Oid = 0xE0E8, MaxSize = 1200, Type = DataObject.TypeTrustAnchor });
        s.Add(new DataObject { Oid = OidTrustAnchor, MaxSize = 1200, Type = DataObject.TypeTrustAnchor });
        s.Add(new DataObject { Oid = OidInfineonCert, MaxSize = 1728, Type = DataObject.TypeDeviceCert });
        for (int oid = 0xE0E1; oid <= 0xE0E3; oid++) s.Add(new DataObject { Oid = oid, MaxSize = 1728, Type = DataObject.TypeDeviceCert });
        AddInfineonIdentity(s, readOnly);
        // The free key slots exist as objects without a key (their metadata can be read and written before a key is made).
        for (int oid = 0xE0F1; oid <= 0xE0F3; oid++)
            s.Add(new DataObject { Oid = oid, MaxSize = 0, Read = [AccessCondition.Never] });
        if (classKeyPkcs8 is not null) AddClassKey(s, classKeyPkcs8);
        if (!s.Part.HasTrustMObjects) return s;
        for (int oid = 0xE120; oid <= 0xE123; oid++)
            s.Add(new DataObject { Oid = oid, Data = [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF], MaxSize = 8, Type = DataObject.TypeUpCounter });
        s.Add(new DataObject { Oid = OidPlatformBinding, MaxSize = 64, Type = DataObject.TypePlatformBinding, Read = [AccessCondition.Never] });
        s.Add(new DataObject { Oid = 0xE200, MaxSize = 0, Read = [AccessCondition.Never] }); /* the AES key slot (Trust M V3) */
        for (int oid = 0xE0FC; oid <= 0xE0FD; oid++) s.Add(new DataObject { Oid = oid, MaxSize = 0, Read = [AccessCondition.Never] }); /* RSA key slots */
        return s;
    }

    /// <summary>Trust M factory provisioning (the master-secret path), then lock: secrets can never be read back or replaced afterwards.</summary>
    public static ChipState Provision(byte[] trustAnchorCertificateDer, byte[] masterSecret, byte[]? platformBindingSecret = null, byte[]? classKeyPkcs8 = null)
    {
        if (masterSecret.Length is < 16 or > 64) throw new ArgumentException("the update master secret is 16..64 bytes");
        var s = Personalise(ChipPart.TrustM, trustAnchorCertificateDer, classKeyPkcs8);
        var secret = s.Objects[OidMasterSecret];
        secret.Data = masterSecret;
        secret.Type = DataObject.TypePresSec;
        secret.Read = [AccessCondition.Never];
        s.Objects[OidPlatformBinding].Data = platformBindingSecret ?? RandomNumberGenerator.GetBytes(64);
        // Lock: change only while LcsO < operational, then move every provisioned object to operational.
        foreach (var oid in new[] { OidMasterSecret, OidPlatformBinding }) Lock(s.Objects[oid]);
        for (int oid = OidCounter0; oid <= 0xE123; oid++) s.Objects[oid].Change = [AccessCondition.LcsO, AccessCondition.OpLess, DataObject.LcsOperational];
        return s;
    }

    /// <summary>
    /// Trust X factory provisioning: the class's key-agreement key in E0F1 (put there by the chip maker's
    /// personalisation; the host can only generate keys, never import one), the trust anchor, the
    /// device key and certificate. The anti-rollback value lives in data object F1D1 (a Trust X has no
    /// monotonic counter); see docs/security-chip.md for what that does and does not protect.
    /// </summary>
    public static ChipState ProvisionTrustX(byte[] trustAnchorCertificateDer, byte[] classKeyPkcs8)
    {
        var s = Personalise(ChipPart.TrustX, trustAnchorCertificateDer, classKeyPkcs8);
        s.Objects[OidTrustXCounter].Data = [0, 0, 0, 0];
        s.Objects[OidTrustXCounter].MaxSize = 4;
        return s;
    }

    private static void AddInfineonIdentity(ChipState s, byte[] readOnly)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        s.Add(new DataObject
        {
            Oid = OidInfineonKey, MaxSize = 0, PrivateKey = key.ExportPkcs8PrivateKey(), Usage = UsageAuth, Lcs = DataObject.LcsOperational,
            Change = [AccessCondition.Never], Read = [AccessCondition.Never], Execute = [AccessCondition.Always],
        });
        using var issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=OPTIGA emulated chip", key, HashAlgorithmName.SHA256);
        using var cert = request.Create(new X500DistinguishedName("CN=Infineon OPTIGA emulated CA (stand-in)"), X509SignatureGenerator.CreateForECDsa(issuer),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20), RandomNumberGenerator.GetBytes(8));
        var certObject = s.Objects[OidInfineonCert];
        certObject.Data = cert.RawData;
        certObject.Change = readOnly;
        certObject.Lcs = DataObject.LcsOperational;
    }

    /// <summary>The chip maker's personalisation of the class key-agreement key into E0F1 (change and read NEV).</summary>
    public static void AddClassKey(ChipState s, byte[] classKeyPkcs8)
    {
        using var check = ECDiffieHellman.Create();
        check.ImportPkcs8PrivateKey(classKeyPkcs8, out _);
        if (check.KeySize != 256) throw new ArgumentException("the class key-agreement key must be a P-256 key");
        s.Add(new DataObject
        {
            Oid = OidClassKey, MaxSize = 0, PrivateKey = classKeyPkcs8, Usage = UsageKeyAgreement, Lcs = DataObject.LcsOperational,
            Change = [AccessCondition.Never], Read = [AccessCondition.Never], Execute = [AccessCondition.Always],
        });
    }

    private static ChipState Personalise(ChipPart part, byte[] trustAnchorCertificateDer, byte[]? classKeyPkcs8)
    {
        var s = Factory(part, classKeyPkcs8);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        s.Add(new DataObject
        {
            Oid = OidDeviceKey, MaxSize = 0, PrivateKey = deviceKey.ExportPkcs8PrivateKey(), Usage = UsageAuth | UsageSign,
            Change = [AccessCondition.Never], Read = [AccessCondition.Never], Execute = [AccessCondition.Always],
        });
        var request = new CertificateRequest("CN=secure-ota device", deviceKey, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20));
        s.Objects[OidDeviceCert].Data = cert.RawData;
        s.Objects[OidTrustAnchor].Data = trustAnchorCertificateDer;
        foreach (var oid in new[] { OidTrustAnchor, OidDeviceCert }) Lock(s.Objects[oid]);
        s.ApplicationLcs = DataObject.LcsOperational;
        return s;
    }

    private static void Lock(DataObject o)
    {
        o.Change = [AccessCondition.LcsO, AccessCondition.OpLess, DataObject.LcsOperational];
        o.Lcs = DataObject.LcsOperational;
    }

    /// <summary>
    /// The trust anchor object holds a certificate: wraps the vendor's public key in one, issued by a
    /// throw-away key (the chip uses only the public key inside).
    /// </summary>
    public static byte[] TrustAnchorCertificate(ECDsa vendorPublicKey, string subject = "CN=vendor update key")
    {
        using var issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, vendorPublicKey, HashAlgorithmName.SHA256);
        using var cert = request.Create(new X500DistinguishedName(subject), X509SignatureGenerator.CreateForECDsa(issuer),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20), [1]);
        return cert.RawData;
    }

    public void Add(DataObject o) => Objects[o.Oid] = o;

    /// <summary>
    /// Writes the state to a temporary file beside path, flushed, then renamed over it: a process killed
    /// while saving (chip-emu serve saves when a client disconnects) leaves the old state or the new one,
    /// never a torn file (a test that killed the server mid-save read an empty one).
    /// </summary>
    public void Save(string path)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new Snapshot(Part.Name, ContextKey, I2cMode, Objects.Values.Select(o => new SnapshotObject(o.Oid, o.Data, o.MaxSize, o.Type, o.Lcs, o.Change, o.Read, o.Execute, o.PrivateKey, o.Usage, o.Version < 0 ? null : o.Version, o.SymmetricKey, o.Extra.Count == 0 ? null : o.Extra)).ToList()));
        var temp = path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(json);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public static ChipState Load(string path)
    {
        var snap = JsonSerializer.Deserialize<Snapshot>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: not a chip state");
        // A file that is JSON but not a chip state ({} for one) has no objects: say so (issue 17, C3).
        if (snap.Objects is null || snap.Objects.Any(o => o is null || o.Data is null))
            throw new InvalidDataException($"{path}: not a chip state written by chip-emu provision (no objects, or an object without data)");
        ChipPart part;
        if (snap.Part is null) throw new InvalidDataException($"{path}: no part recorded (a state from an older chip-emu?): provision it again with chip-emu provision --part trust-x|trust-m");
        try { part = ChipPart.Named(snap.Part); }
        catch (ArgumentException e) { throw new InvalidDataException($"{path}: {e.Message}"); }
        var s = new ChipState { Part = part, ContextKey = snap.ContextKey is { Length: 32 } k ? k : RandomNumberGenerator.GetBytes(32),
            I2cMode = snap.I2cMode is >= 1 and <= 4 ? snap.I2cMode : (byte)0x03 };
        foreach (var o in snap.Objects)
        {
            var restored = new DataObject { Oid = o.Oid, Data = o.Data, MaxSize = o.MaxSize, Type = o.Type, Lcs = o.Lcs, Change = o.Change, Read = o.Read, Execute = o.Execute, PrivateKey = o.PrivateKey, Usage = o.Usage, Version = o.Version ?? -1, SymmetricKey = o.SymmetricKey };
            foreach (var (tag, value) in o.Extra ?? []) restored.Extra[tag] = value;
            s.Add(restored);
        }
        if (!s.Objects.TryGetValue(OidLcsA, out var lcsA) || lcsA.Data.Length != 1)
            throw new InvalidDataException($"{path}: not a chip state written by chip-emu provision (no application life cycle object F1C0)");
        return s;
    }

    private sealed record Snapshot(string? Part, byte[]? ContextKey, byte I2cMode, List<SnapshotObject> Objects);
    private sealed record SnapshotObject(int Oid, byte[] Data, int MaxSize, byte Type, byte Lcs, byte[]? Change, byte[]? Read, byte[]? Execute, byte[]? PrivateKey, byte Usage, int? Version, byte[]? SymmetricKey, Dictionary<byte, byte[]>? Extra);
}
