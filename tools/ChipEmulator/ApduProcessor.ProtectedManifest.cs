using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The manifest of a Trust M protected update (M-TOOL protected_update_create_manifest; optiga-trust.md 5):
/// COSE_Sign1 with ES256 from a trust anchor, the Trust_manifest with payload type, size, version,
/// write parameters, the first fragment's digest, an optional decrypt step, and the target OID.
/// </summary>
public sealed partial class ApduProcessor
{
    private (byte[], int) StartUpdate(byte[] manifest)
    {
        try
        {
            var r = new CborReader(manifest, CborConformanceMode.Lax);
            if (r.ReadStartArray() != 4) return Fail(0x0F, ProtectedUpdateUs);
            var protectedHeader = r.ReadByteString();
            var ph = new CborReader(protectedHeader);
            if (ph.ReadStartMap() != 1 || ph.ReadInt32() != 1) return Fail(0x0F, ProtectedUpdateUs);
            if (ph.ReadInt32() != -7) return Fail(0x25, ProtectedUpdateUs); /* only ES-256 is modelled */
            if (r.ReadStartMap() != 1 || r.ReadInt32() != 4) return Fail(0x0F, ProtectedUpdateUs);
            var taBytes = r.ReadByteString();
            r.ReadEndMap();
            var payload = r.ReadByteString();
            var signature = r.ReadByteString();
            r.ReadEndArray();
            if (taBytes.Length != 2 || signature.Length != 64) return Fail(0x0F, ProtectedUpdateUs);
            int taOid = (taBytes[0] << 8) | taBytes[1];

            // The trust anchor: a certificate in an object of type TA, whose execute condition allows it.
            if (!state.Objects.TryGetValue(taOid, out var ta) || ta.Data.Length == 0) return Fail(0x01, ProtectedUpdateUs);
            if (ta.Type != DataObject.TypeTrustAnchor || !Allows(ta.Execute, ta)) return Fail(0x07, ProtectedUpdateUs);
            var w = new CborWriter();
            w.WriteStartArray(4);
            w.WriteByteString("Signature1"u8); /* a byte string, as Infineon's tool signs it (optiga-trust.md 5) */
            w.WriteByteString(protectedHeader);
            w.WriteByteString([]);
            w.WriteByteString(payload);
            w.WriteEndArray();
            using (var cert = X509CertificateLoader.LoadCertificate(ta.Data))
            using (var taKey = cert.GetECDsaPublicKey())
            {
                if (taKey is null) return Fail(0x29, ProtectedUpdateUs);
                if (!taKey.VerifyData(w.Encode(), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                    return Fail(0x2C, ProtectedUpdateUs);
            }

            // Trust_manifest = [1, nil, nil, [type, size, version, [offset, write type]], [[-1, bstr [41, digest]], decrypt or nil], [component, h'target OID']]
            var m = new CborReader(payload, CborConformanceMode.Lax);
            if (m.ReadStartArray() != 6 || m.ReadInt32() != 1) return Fail(0x0F, ProtectedUpdateUs);
            m.ReadNull();
            m.ReadNull();
            if (m.ReadStartArray() != 4) return Fail(0x0F, ProtectedUpdateUs);
            int type = m.ReadInt32();
            int size = m.ReadInt32();
            int version = m.ReadInt32();
            if (type is not (-1 or -2 or -3)) return Fail(0x0F, ProtectedUpdateUs); /* data, metadata, key */
            if (m.ReadStartArray() != 2) return Fail(0x0F, ProtectedUpdateUs);
            int offset = m.ReadInt32(), writeType = m.ReadInt32();
            m.ReadEndArray();
            m.ReadEndArray();
            if (m.ReadStartArray() != 2 || m.ReadStartArray() != 2 || m.ReadInt32() != -1) return Fail(0x0F, ProtectedUpdateUs);
            var digestInfo = new CborReader(m.ReadByteString());
            m.ReadEndArray();
            (int SecretOid, byte[] Label, byte[] Seed)? decrypt = null;
            if (m.PeekState() == CborReaderState.Null) m.ReadNull();
            else
            {
                // ProcessingStep_decrypt = [1, [<<{1: 10 AES-CCM-16-64-128}>>, [[<<{4: secret OID, 1: -65720 TLS PRF SHA256, 5: [label, seed]}>>, nil]], nil]]
                if (m.ReadStartArray() != 2 || m.ReadInt32() != 1 || m.ReadStartArray() != 3) return Fail(0x0F, ProtectedUpdateUs);
                var alg = new CborReader(m.ReadByteString());
                if (alg.ReadStartMap() != 1 || alg.ReadInt32() != 1 || alg.ReadInt32() != 10) return Fail(0x0F, ProtectedUpdateUs);
                if (m.ReadStartArray() != 1 || m.ReadStartArray() != 2) return Fail(0x0F, ProtectedUpdateUs);
                var rp = new CborReader(m.ReadByteString());
                m.ReadNull();
                m.ReadEndArray();
                m.ReadEndArray();
                m.ReadNull();
                m.ReadEndArray();
                m.ReadEndArray();
                int secretOid = -1, kdf = 0;
                byte[]? label = null, seed = null;
                int pairs = rp.ReadStartMap() ?? 0;
                for (int i = 0; i < pairs; i++)
                {
                    switch (rp.ReadInt32())
                    {
                        case 4: var o = rp.ReadByteString(); secretOid = o.Length == 2 ? (o[0] << 8) | o[1] : -1; break;
                        case 1: kdf = rp.ReadInt32(); break;
                        case 5: rp.ReadStartArray(); label = rp.ReadByteString(); seed = rp.ReadByteString(); rp.ReadEndArray(); break;
                        default: return Fail(0x0F, ProtectedUpdateUs);
                    }
                }
                if (secretOid < 0 || kdf != -65720 || label is null || seed is null || label.Length > 32 || seed.Length is < 16 or > 64) return Fail(0x0F, ProtectedUpdateUs);
                decrypt = (secretOid, label, seed);
            }
            m.ReadEndArray();
            if (digestInfo.ReadStartArray() != 2 || digestInfo.ReadInt32() != 41) return Fail(0x0F, ProtectedUpdateUs);
            var firstDigest = digestInfo.ReadByteString();
            if (m.ReadStartArray() != 2) return Fail(0x0F, ProtectedUpdateUs);
            var component = m.ReadByteString();
            var targetBytes = m.ReadByteString();
            if (component.Length != 0 && !component.AsSpan().SequenceEqual(state.Objects[ChipState.OidUid].Data.AsSpan(0, 25))) return Fail(0x0F, ProtectedUpdateUs);
            if (targetBytes.Length != 2 || firstDigest.Length != DigestSize || size < 1 || version is < 0 or > 32767 || (type == -1 && writeType is not (1 or 2)))
                return Fail(0x0F, ProtectedUpdateUs);
            int targetOid = (targetBytes[0] << 8) | targetBytes[1];
            if (targetOid == taOid) return Fail(0x0F, ProtectedUpdateUs);

            // The target: its change condition must name this trust anchor (Int(TA)), its version be older.
            if (!state.Objects.TryGetValue(targetOid, out var target)) return Fail(0x01, ProtectedUpdateUs);
            if (targetOid is ChipState.OidLcsG or >= 0xE0C0 and <= 0xE0C6 or >= 0xF1C0 and <= 0xF1C2) return Fail(0x07, ProtectedUpdateUs);
            bool keySlot = targetOid is >= 0xE0F1 and <= 0xE0F3 or 0xE0FC or 0xE0FD or OidSymmetricKey;
            if ((type == -3) != keySlot && type != -2) return Fail(0x0F, ProtectedUpdateUs); /* keys into key slots, data into data objects */
            // Data and keys need Int(TA) in the change condition; metadata in the metadata-update descriptor (D8).
            var authorisation = type == -2 ? (target.Extra.TryGetValue(0xD8, out var mud) ? mud : null) : target.Change;
            if (!Names(authorisation, AccessCondition.Int, taOid)) return Fail(0x07, ProtectedUpdateUs);
            // A target whose condition also names Conf(secret) takes only a payload encrypted under that secret.
            byte[]? key = null, nonce = null;
            if (decrypt is { } dx)
            {
                if (!state.Objects.TryGetValue(dx.SecretOid, out var secret) || secret.Data.Length == 0) return Fail(0x01, ProtectedUpdateUs);
                if (secret.Type != 0x23 || !Allows(secret.Execute, secret)) return Fail(0x07, ProtectedUpdateUs); /* UPDATSEC */
                var material = Prf.Derive(HashAlgorithmName.SHA256, secret.Data, [.. dx.Label, .. dx.Seed], 27);
                key = material[..16];
                nonce = material[16..];
            }
            for (int i = 0; authorisation is { } ac && i + 2 < ac.Length; i++)
                if (ac[i] == AccessCondition.Conf && (decrypt is null || ((ac[i + 1] << 8) | ac[i + 2]) != decrypt.Value.SecretOid)) return Fail(0x07, ProtectedUpdateUs);
            if (version <= Math.Max(target.Version, 0)) return Fail(0x10, ProtectedUpdateUs);
            if (type == -1 && (offset < 0 || offset + size > target.MaxSize)) return Fail(0x08, ProtectedUpdateUs);
            _update = new ProtectedUpdate { Target = target, Type = type, ExpectedDigest = firstDigest, Size = size, Version = version, Offset = offset, WriteType = writeType, Key = key, Nonce = nonce };
            return Ok([], ProtectedOperation(ProtectedUpdateUs));
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or CryptographicException or FormatException)
        {
            return Fail(0x0F, ProtectedUpdateUs);
        }
    }
}
