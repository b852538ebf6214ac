using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.ChipEmulator;

/// <summary>
/// Trust M SetObjectProtected (0x03, param 01; optiga-trust.md section 5; M-CMD
/// optiga_cmd_set_object_protected_handler; M-PUEX): a data object updated from a manifest signed by
/// a trust anchor the target's change condition names (Int(TA)). Modelled: the integrity-protected
/// update of a data object's data — the COSE_Sign1 manifest with ES256 (the signature over a
/// Sig_structure whose context "Signature1" is a byte string, as Infineon's tool writes it), the
/// payload version above the target's, fragments of 640 bytes chained by the SHA-256 of the next
/// (the manifest names the first), written at the offset with write or erase-and-write, then the
/// target's version set. Not modelled (0x25): confidentiality (an encrypted payload), key and
/// metadata payloads, RSA-signed manifests.
/// </summary>
public sealed partial class ApduProcessor
{
    private const int FragmentSize = 640, DigestSize = 32;
    public const int ProtectedUpdateUs = 90_000;

    private sealed class ProtectedUpdate
    {
        public required DataObject Target;
        public required byte[] ExpectedDigest;
        public required int Size, Version, Offset, WriteType;
        public List<byte> Payload { get; } = [];
    }

    private ProtectedUpdate? _update;

    private (byte[], int) SetObjectProtected(byte param, byte[] d)
    {
        if (param != 0x01) return Fail(0x03, ProtectedUpdateUs);
        if (d.Length < 3) return Fail(0x04, ProtectedUpdateUs);
        int tag = d[0], length = (d[1] << 8) | d[2];
        if (3 + length != d.Length) return Fail(0x04, ProtectedUpdateUs);
        var value = d[3..];
        switch (tag)
        {
            case 0x30: /* start: the manifest (a new start aborts an unfinished update) */
                _update = null;
                return StartUpdate(value);
            case 0x32: /* continue: a full fragment */
            case 0x31: /* final */
                if (_update is null) return Fail(0x0B, ProtectedUpdateUs);
                return Fragment(value, tag == 0x31);
            default:
                return Fail(0x05, ProtectedUpdateUs);
        }
    }

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
            using (var key = cert.GetECDsaPublicKey())
            {
                if (key is null) return Fail(0x29, ProtectedUpdateUs);
                if (!key.VerifyData(w.Encode(), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
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
            if (type != -1) { return Fail(0x25, ProtectedUpdateUs); } /* key and metadata payloads: not modelled */
            if (m.ReadStartArray() != 2) return Fail(0x0F, ProtectedUpdateUs);
            int offset = m.ReadInt32(), writeType = m.ReadInt32();
            m.ReadEndArray();
            m.ReadEndArray();
            if (m.ReadStartArray() != 2 || m.ReadStartArray() != 2 || m.ReadInt32() != -1) return Fail(0x0F, ProtectedUpdateUs);
            var digestInfo = new CborReader(m.ReadByteString());
            m.ReadEndArray();
            if (m.PeekState() != CborReaderState.Null) return Fail(0x25, ProtectedUpdateUs); /* an encrypted payload: not modelled */
            m.ReadNull();
            m.ReadEndArray();
            if (digestInfo.ReadStartArray() != 2 || digestInfo.ReadInt32() != 41) return Fail(0x0F, ProtectedUpdateUs);
            var firstDigest = digestInfo.ReadByteString();
            if (m.ReadStartArray() != 2) return Fail(0x0F, ProtectedUpdateUs);
            var component = m.ReadByteString();
            var targetBytes = m.ReadByteString();
            if (component.Length != 0 && !component.AsSpan().SequenceEqual(state.Objects[ChipState.OidUid].Data.AsSpan(0, 25))) return Fail(0x0F, ProtectedUpdateUs);
            if (targetBytes.Length != 2 || firstDigest.Length != DigestSize || writeType is not (1 or 2) || size < 1 || version is < 0 or > 32767)
                return Fail(0x0F, ProtectedUpdateUs);
            int targetOid = (targetBytes[0] << 8) | targetBytes[1];
            if (targetOid == taOid) return Fail(0x0F, ProtectedUpdateUs);

            // The target: its change condition must name this trust anchor (Int(TA)), its version be older.
            if (!state.Objects.TryGetValue(targetOid, out var target) || target.PrivateKey is not null) return Fail(0x01, ProtectedUpdateUs);
            if (targetOid is ChipState.OidLcsG or >= 0xE0C0 and <= 0xE0C6 or >= 0xF1C0 and <= 0xF1C2) return Fail(0x07, ProtectedUpdateUs);
            if (!NamesIntegrity(target.Change, taOid)) return Fail(0x07, ProtectedUpdateUs);
            if (version <= Math.Max(target.Version, 0)) return Fail(0x10, ProtectedUpdateUs);
            if (offset < 0 || offset + size > target.MaxSize) return Fail(0x08, ProtectedUpdateUs);
            _update = new ProtectedUpdate { Target = target, ExpectedDigest = firstDigest, Size = size, Version = version, Offset = offset, WriteType = writeType };
            return Ok([], ProtectedOperation(ProtectedUpdateUs));
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or CryptographicException or FormatException)
        {
            return Fail(0x0F, ProtectedUpdateUs);
        }
    }

    private (byte[], int) Fragment(byte[] fragment, bool final)
    {
        var u = _update!;
        if (!SHA256.HashData(fragment).AsSpan().SequenceEqual(u.ExpectedDigest))
        {
            _update = null;
            return Fail(0x2D, ProtectedUpdateUs); /* integrity validation failure */
        }
        if (!final)
        {
            if (fragment.Length != FragmentSize) { _update = null; return Fail(0x05, ProtectedUpdateUs); }
            u.Payload.AddRange(fragment.AsSpan(0, FragmentSize - DigestSize).ToArray());
            u.ExpectedDigest = fragment[(FragmentSize - DigestSize)..];
        }
        else
        {
            if (fragment.Length is < 1 or > FragmentSize) { _update = null; return Fail(0x05, ProtectedUpdateUs); }
            u.Payload.AddRange(fragment);
        }
        if (u.Payload.Count > u.Size) { _update = null; return Fail(0x05, ProtectedUpdateUs); }
        if (!final) return Ok([], ProtectedUpdateUs);
        _update = null;
        if (u.Payload.Count != u.Size) return Fail(0x05, ProtectedUpdateUs);
        var current = u.WriteType == 2 ? [] : u.Target.Data;
        var result = new byte[Math.Max(current.Length, u.Offset + u.Size)];
        current.CopyTo(result, 0);
        u.Payload.ToArray().CopyTo(result, u.Offset);
        u.Target.Data = result;
        u.Target.Version = u.Version;
        return Ok([], ProtectedUpdateUs);
    }

    // Does a change condition contain Int(taOid) (21 OID), alone or in a conjunction/disjunction?
    private static bool NamesIntegrity(byte[]? ac, int taOid)
    {
        if (ac is null) return false;
        for (int i = 0; i + 2 < ac.Length; i++)
            if (ac[i] == AccessCondition.Int && ac[i + 1] == (byte)(taOid >> 8) && ac[i + 2] == (byte)taOid) return true;
        return false;
    }
}
