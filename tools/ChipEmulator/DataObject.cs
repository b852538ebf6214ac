namespace SecureOta.ChipEmulator;

/// <summary>A data or key object of the emulated chip, with the metadata the emulator enforces.</summary>
public sealed class DataObject
{
    public const byte TypeBstr = 0x00, TypeUpCounter = 0x01, TypeTrustAnchor = 0x11, TypeDeviceCert = 0x12, TypePresSec = 0x21, TypePlatformBinding = 0x22;
    public const byte LcsCreation = 0x01, LcsOperational = 0x07;

    public required int Oid { get; init; }
    public byte[] Data { get; set; } = [];
    public int MaxSize { get; set; } = 1500;
    /// <summary>The object's version (metadata tag C1, Trust M), or -1 when it has none.</summary>
    public int Version { get; set; } = -1;

    /// <summary>For key objects: the key usage (metadata tag E1; X-CMDH eKeyUsage_d).</summary>
    public byte Usage { get; set; }
    public byte Type { get; set; } = TypeBstr;
    public byte Lcs { get; set; } = LcsCreation;
    /// <summary>Change, read and execute access conditions (null = NEV).</summary>
    public byte[]? Change { get; set; } = [AccessCondition.Always];
    public byte[]? Read { get; set; } = [AccessCondition.Always];
    public byte[]? Execute { get; set; } = [AccessCondition.Always];
    /// <summary>Trust M metadata kept as written: D8 (metadata update descriptor), F0 (reset type).</summary>
    public Dictionary<byte, byte[]> Extra { get; } = new();

    /// <summary>For the symmetric key object E200 (Trust M V3): the AES key.</summary>
    public byte[]? SymmetricKey { get; set; }

    /// <summary>For key objects: the PKCS#8 private key.</summary>
    public byte[]? PrivateKey { get; set; }

    /// <summary>The metadata TLV (tag 0x20) GetDataObject(param 1) returns; the data object type (E8) only on a Trust M.</summary>
    public byte[] Metadata(bool withType = true)
    {
        var body = new List<byte> { 0xC0, 0x01, Lcs };
        if (Version >= 0 && withType) body.AddRange([0xC1, 0x02, (byte)(Version >> 8), (byte)Version]);
        body.AddRange([0xC4, 0x02, (byte)(MaxSize >> 8), (byte)MaxSize, 0xC5, 0x02, (byte)(Data.Length >> 8), (byte)Data.Length]);
        void Ac(byte tag, byte[]? ac) { if (ac is not null) { body.Add(tag); body.Add((byte)ac.Length); body.AddRange(ac); } }
        Ac(0xD0, Change);
        Ac(0xD1, Read);
        Ac(0xD3, Execute);
        if (withType) foreach (var (tag, value) in Extra.OrderBy(e => e.Key)) { body.Add(tag); body.Add((byte)value.Length); body.AddRange(value); }
        if (PrivateKey is not null || SymmetricKey is not null) body.AddRange([0xE1, 0x01, Usage]);
        if (withType) body.AddRange([0xE8, 0x01, Type]);
        return [0x20, (byte)body.Count, .. body];
    }
}
