using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// Trust M SetObjectProtected (optiga-trust.md 5; M-PUEX, M-TOOL): a manifest signed as Infineon's tool
/// signs it ("Signature1" as a byte string), fragments chained by SHA-256; data, keys and metadata;
/// integrity alone or with confidentiality (AES-128-CCM-8 under a key from the TLS PRF of a secret).
/// The data sets are built here from the tool's description, independently of the emulator's reader.
/// </summary>
public sealed class ProtectedUpdateTests
{
    private const int Ta = 0xE0E3;

    private sealed record Conf(int SecretOid, byte[] Secret, byte[] Label, byte[] Seed);

    private static byte[] Cbor(Action<CborWriter> write)
    {
        var w = new CborWriter();
        write(w);
        return w.Encode();
    }

    // TLS 1.2 PRF with SHA-256 (RFC 5246 section 5), written out here so the test does not reuse the emulator's.
    private static byte[] TlsPrf(byte[] secret, byte[] labelAndSeed, int length)
    {
        var output = new List<byte>();
        var a = labelAndSeed;
        while (output.Count < length)
        {
            a = HMACSHA256.HashData(secret, a);
            output.AddRange(HMACSHA256.HashData(secret, a.Concat(labelAndSeed).ToArray()));
        }
        return output.Take(length).ToArray();
    }

    // The manifest and fragments for `payload` into `target`: type -1 data, -2 metadata, -3 key; p1/p2 are
    // offset and write type (data), algorithm and usage (key), content reset and flag (metadata).
    private static (byte[] Manifest, List<byte[]> Fragments) DataSet(ECDsa key, int target, int version, byte[] payload,
        int type = -1, int p1 = 0, int p2 = 2, Conf? conf = null)
    {
        int chunk = conf is null ? 608 : 600;
        var chunks = new List<byte[]>();
        for (int i = 0; i < payload.Length; i += chunk) chunks.Add(payload[i..Math.Min(payload.Length, i + chunk)]);
        if (conf is not null)
        {
            var material = TlsPrf(conf.Secret, [.. conf.Label, .. conf.Seed], 27);
            using var ccm = new AesCcm(material[..16]);
            for (int n = 0; n < chunks.Count; n++)
            {
                int at = n * chunk; /* the plaintext offset of this fragment */
                byte[] nonce = [.. material[16..], (byte)((n + 1) >> 8), (byte)(n + 1)];
                byte[] aad = [(byte)(version >> 8), (byte)version, (byte)(at >> 16), (byte)(at >> 8), (byte)at,
                    (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length];
                var cipher = new byte[chunks[n].Length];
                var tag = new byte[8];
                ccm.Encrypt(nonce, chunks[n], cipher, tag, aad);
                chunks[n] = [.. cipher, .. tag];
            }
        }
        // Back to front: each fragment but the last carries the digest of the next.
        var fragments = new byte[chunks.Count][];
        fragments[^1] = chunks[^1];
        for (int i = chunks.Count - 2; i >= 0; i--) fragments[i] = [.. chunks[i], .. SHA256.HashData(fragments[i + 1])];
        var digest = SHA256.HashData(fragments[0]);
        var trustManifest = Cbor(w =>
        {
            w.WriteStartArray(6); w.WriteInt32(1); w.WriteNull(); w.WriteNull();
            w.WriteStartArray(4); w.WriteInt32(type); w.WriteInt32(payload.Length); w.WriteInt32(version);
            w.WriteStartArray(2); w.WriteInt32(p1); w.WriteInt32(p2); w.WriteEndArray(); w.WriteEndArray();
            w.WriteStartArray(2); w.WriteStartArray(2); w.WriteInt32(-1);
            w.WriteByteString(Cbor(d => { d.WriteStartArray(2); d.WriteInt32(41); d.WriteByteString(digest); d.WriteEndArray(); }));
            w.WriteEndArray();
            if (conf is null) w.WriteNull();
            else
            {
                w.WriteStartArray(2); w.WriteInt32(1); w.WriteStartArray(3);
                w.WriteByteString(Cbor(h => { h.WriteStartMap(1); h.WriteInt32(1); h.WriteInt32(10); h.WriteEndMap(); }));
                w.WriteStartArray(1); w.WriteStartArray(2);
                w.WriteByteString(Cbor(h =>
                {
                    h.WriteStartMap(3);
                    h.WriteInt32(4); h.WriteByteString([(byte)(conf.SecretOid >> 8), (byte)conf.SecretOid]);
                    h.WriteInt32(1); h.WriteInt32(-65720);
                    h.WriteInt32(5); h.WriteStartArray(2); h.WriteByteString(conf.Label); h.WriteByteString(conf.Seed); h.WriteEndArray();
                    h.WriteEndMap();
                }));
                w.WriteNull(); w.WriteEndArray(); w.WriteEndArray();
                w.WriteNull(); w.WriteEndArray(); w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray(2); w.WriteByteString([]); w.WriteByteString([(byte)(target >> 8), (byte)target]); w.WriteEndArray();
            w.WriteEndArray();
        });
        byte[] protectedHeader = [0xA1, 0x01, 0x26];
        var toSign = Cbor(w => { w.WriteStartArray(4); w.WriteByteString("Signature1"u8); w.WriteByteString(protectedHeader); w.WriteByteString([]); w.WriteByteString(trustManifest); w.WriteEndArray(); });
        var signature = key.SignData(toSign, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var manifest = Cbor(w =>
        {
            w.WriteStartArray(4); w.WriteByteString(protectedHeader);
            w.WriteStartMap(1); w.WriteInt32(4); w.WriteByteString([Ta >> 8, Ta & 0xFF]); w.WriteEndMap();
            w.WriteByteString(trustManifest); w.WriteByteString(signature); w.WriteEndArray();
        });
        return (manifest, fragments.ToList());
    }

    private static ChipResult Send(ChipRig rig, byte tag, byte[] value) =>
        rig.Driver.Execute(new RawCommand(Convert.ToHexString([0x03, 0x01, (byte)((value.Length + 3) >> 8), (byte)(value.Length + 3), tag, (byte)(value.Length >> 8), (byte)value.Length, .. value])));

    private static ChipResult Run(ChipRig rig, (byte[] Manifest, List<byte[]> Fragments) set)
    {
        var r = Send(rig, 0x30, set.Manifest);
        for (int i = 0; r.IsOk && i < set.Fragments.Count; i++) r = Send(rig, i == set.Fragments.Count - 1 ? (byte)0x31 : (byte)0x32, set.Fragments[i]);
        return r;
    }

    private static void Ok(ChipResult r) => Assert.True(r.IsOk, r.ToString());

    private static void Metadata(ChipRig rig, int oid, string hex) => Ok(rig.Driver.Execute(new SetDataObject(oid, 0, Convert.FromHexString(hex), 0x01)));

    // A Trust M whose E0E3 holds the certificate of `signer` as a trust anchor.
    private static ChipRig WithTrustAnchor(ECDsa signer)
    {
        var rig = new ChipRig(ChipPart.TrustM);
        Ok(rig.Open());
        using var cert = new CertificateRequest("CN=update TA", signer, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Metadata(rig, Ta, "2006D30100E80111");
        Ok(rig.Driver.Execute(new SetDataObject(Ta, 0, cert.RawData, 0x40)));
        return rig;
    }

    private static int Error(byte code) => ChipErrors.DeviceBase | code;

    [Fact]
    public void ASignedDataUpdate_IsWritten_OnlyThroughItsTrustAnchor_AndOnlyForward()
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rig = WithTrustAnchor(signer);
        Metadata(rig, 0xF1E0, "2005D00321E0E3");
        // Its change condition is Int(E0E3): a plain write is refused.
        Assert.Equal(Error(ChipErrors.DeviceAccessConditions), rig.Driver.Execute(new SetDataObject(0xF1E0, 0, [1], 0x40)).Code);

        var payload = RandomNumberGenerator.GetBytes(1300); /* three fragments */
        Ok(Run(rig, DataSet(signer, 0xF1E0, 3, payload)));
        Assert.Equal(payload, rig.State.Objects[0xF1E0].Data);
        Assert.Contains("C1020003", Convert.ToHexString(rig.Driver.Execute(GetDataObject.Metadata(0xF1E0)).Data));

        Assert.Equal(Error(0x10), Run(rig, DataSet(signer, 0xF1E0, 3, payload)).Code);  /* not a newer version */
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(Error(0x2C), Run(rig, DataSet(stranger, 0xF1E0, 4, payload)).Code); /* another signer */
        var tampered = DataSet(signer, 0xF1E0, 4, payload);
        tampered.Fragments[1][5] ^= 1;
        Assert.Equal(Error(0x2D), Run(rig, tampered).Code);     /* the chain breaks at the second fragment */
        Assert.Equal(payload, rig.State.Objects[0xF1E0].Data);  /* nothing written */
        Assert.Equal(Error(0x0B), Send(rig, 0x32, new byte[640]).Code); /* a fragment without a manifest */
    }

    [Fact]
    public void AConfidentialUpdate_IsDecryptedUnderTheSecretTheTargetNames_AndNothingElseGetsIn()
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rig = WithTrustAnchor(signer);
        var secret = RandomNumberGenerator.GetBytes(64);
        Metadata(rig, 0xF1D4, "2003E80123"); /* an UPDATSEC object */
        Ok(rig.Driver.Execute(new SetDataObject(0xF1D4, 0, secret, 0x40)));
        Metadata(rig, 0xF1E0, "2009D00721E0E3FD20F1D4"); /* Int(E0E3) && Conf(F1D4) */

        var payload = RandomNumberGenerator.GetBytes(1500); /* three fragments of 600 plaintext bytes at most */
        var conf = new Conf(0xF1D4, secret, "Confidentiality"u8.ToArray(), RandomNumberGenerator.GetBytes(32));
        Assert.Equal(Error(0x07), Run(rig, DataSet(signer, 0xF1E0, 1, payload)).Code); /* Conf required: plaintext refused */
        Assert.Equal(Error(0x2E), Run(rig, DataSet(signer, 0xF1E0, 1, payload, conf: conf with { Secret = RandomNumberGenerator.GetBytes(64) })).Code);
        Assert.Empty(rig.State.Objects[0xF1E0].Data);
        Ok(Run(rig, DataSet(signer, 0xF1E0, 1, payload, conf: conf)));
        Assert.Equal(payload, rig.State.Objects[0xF1E0].Data);
    }

    [Fact]
    public void KeyUpdates_PutAWorkingKeyInTheSlot()
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rig = WithTrustAnchor(signer);
        // AES-128 into E200 (algorithm 0x81, usage Enc): EncryptSym ECB then matches AES under that key.
        Metadata(rig, 0xE200, "2005D00321E0E3");
        var aesKey = RandomNumberGenerator.GetBytes(16);
        Ok(Run(rig, DataSet(signer, 0xE200, 1, [0x01, 0x00, 0x10, .. aesKey], type: -3, p1: 0x81, p2: 0x02)));
        var block = RandomNumberGenerator.GetBytes(16);
        var ecb = rig.Driver.Execute(new RawCommand(Convert.ToHexString([0x14, 0x08, 0x00, 0x15, 0xE2, 0x00, 0x01, 0x00, 0x10, .. block])));
        Ok(ecb);
        using (var aes = Aes.Create()) { aes.Key = aesKey; Assert.Equal(aes.EncryptEcb(block, PaddingMode.None), ecb.Data[3..]); }

        // A P-256 key into E0F3 (algorithm 0x03, usage Sign): the slot's key is that key.
        Metadata(rig, 0xE0F3, "2005D00321E0E3");
        using var ecc = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ecc.ExportParameters(true);
        Ok(Run(rig, DataSet(signer, 0xE0F3, 1, [0x01, 0x00, 0x20, .. p.D!, 0x02, 0x00, 0x40, .. p.Q.X!, .. p.Q.Y!], type: -3, p1: 0x03, p2: 0x10)));
        using var held = ECDsa.Create();
        held.ImportPkcs8PrivateKey(rig.State.Objects[0xE0F3].PrivateKey, out _);
        Assert.Equal(p.Q.X, held.ExportParameters(false).Q.X);
        // A key payload for a data object, and data for a key slot, are refused.
        Assert.Equal(Error(0x0F), Run(rig, DataSet(signer, 0xE0F3, 2, RandomNumberGenerator.GetBytes(20))).Code);
    }

    [Theory]
    [InlineData(0x04, "nistP384")]
    [InlineData(0x05, "nistP521")]
    [InlineData(0x13, "brainpoolP256r1")]
    [InlineData(0x16, "brainpoolP512r1")]
    public void AnEccKeyUpdate_OnAnyOfTheTrustMsCurves_PutsThatKeyInTheSlot(byte alg, string curve)
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rig = WithTrustAnchor(signer);
        Metadata(rig, 0xE0F2, "2005D00321E0E3");
        using var ecc = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        var p = ecc.ExportParameters(true);
        Ok(Run(rig, DataSet(signer, 0xE0F2, 1, [.. ChipRig.Tlv(0x01, p.D!), .. ChipRig.Tlv(0x02, [.. p.Q.X!, .. p.Q.Y!])], type: -3, p1: alg, p2: 0x10)));
        using var held = ECDsa.Create();
        held.ImportPkcs8PrivateKey(rig.State.Objects[0xE0F2].PrivateKey, out _);
        Assert.Equal(p.Q.X, held.ExportParameters(false).Q.X);
        // A private key one byte short of the curve's size is refused, the slot keeps the key it has.
        Assert.Equal(Error(0x05), Run(rig, DataSet(signer, 0xE0F2, 2, ChipRig.Tlv(0x01, p.D![1..]), type: -3, p1: alg, p2: 0x10)).Code);
        held.ImportPkcs8PrivateKey(rig.State.Objects[0xE0F2].PrivateKey, out _);
        Assert.Equal(p.Q.X, held.ExportParameters(false).Q.X);
    }

    [Fact]
    public void AMetadataUpdate_NeedsTheObjectsMetadataUpdateDescriptor()
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rig = WithTrustAnchor(signer);
        Ok(rig.Driver.Execute(new SetDataObject(0xF1E1, 0, [1, 2, 3], 0x40)));
        byte[] readNever = Convert.FromHexString("2003D101FF");
        Assert.Equal(Error(0x07), Run(rig, DataSet(signer, 0xF1E1, 1, readNever, type: -2, p1: 0, p2: 0)).Code); /* no D8 */
        Metadata(rig, 0xF1E1, "2008C00107D80321E0E3"); /* operational, D8 = Int(E0E3) */
        Assert.True(rig.Driver.Execute(new GetDataObject(0xF1E1, 0, 10)).IsOk);
        Ok(Run(rig, DataSet(signer, 0xF1E1, 1, readNever, type: -2, p1: 0, p2: 0)));
        Assert.Equal(Error(ChipErrors.DeviceAccessConditions), rig.Driver.Execute(new GetDataObject(0xF1E1, 0, 10)).Code);
        Assert.Equal(DataObject.LcsOperational, rig.State.Objects[0xF1E1].Lcs); /* the life cycle stands */
    }
}
