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
/// target's version set; with confidentiality (a decrypt step naming an UPDATSEC secret, which a
/// Conf(secret) in the target's condition then requires), each fragment AES-128-CCM-8 under a key and
/// nonce from the TLS PRF of the secret. Key payloads (AES into E200, ECC into E0F1-E0F3, RSA into
/// E0FC/E0FD) and metadata payloads (authorised by the object's D8 descriptor, then its reset type F0)
/// too. Not modelled (0x25): RSA-signed manifests.
/// </summary>
public sealed partial class ApduProcessor
{
    private const int FragmentSize = 640, DigestSize = 32;
    public const int ProtectedUpdateUs = 90_000;

    private sealed class ProtectedUpdate
    {
        public required DataObject Target;
        public required byte[] ExpectedDigest;
        public required int Type, Size, Version, Offset, WriteType; /* Offset/WriteType: data: offset, write type; key: algorithm, usage; metadata: content reset, flag */
        public List<byte> Payload { get; } = [];
        public byte[]? Key, Nonce;   /* confidentiality: AES-128-CCM-8 key and the 11-byte nonce prefix */
        public int FragmentNumber;
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

    private (byte[], int) Fragment(byte[] fragment, bool final)
    {
        var u = _update!;
        if (!SHA256.HashData(fragment).AsSpan().SequenceEqual(u.ExpectedDigest))
        {
            _update = null;
            return Fail(0x2D, ProtectedUpdateUs); /* integrity validation failure */
        }
        byte[] body;
        if (!final)
        {
            if (fragment.Length != FragmentSize) { _update = null; return Fail(0x05, ProtectedUpdateUs); }
            body = fragment[..(FragmentSize - DigestSize)];
            u.ExpectedDigest = fragment[(FragmentSize - DigestSize)..];
        }
        else
        {
            if (fragment.Length is < 1 or > FragmentSize) { _update = null; return Fail(0x05, ProtectedUpdateUs); }
            body = fragment;
        }
        if (u.Key is not null)
        {
            // AES-128-CCM-8: nonce = secret nonce ‖ fragment number (from 1), AAD = version[2] ‖ offset of this
            // fragment's payload[3] ‖ total payload length[3] (M-TOOL protected_update_encrypt_fragment).
            if (body.Length <= 8) { _update = null; return Fail(0x05, ProtectedUpdateUs); }
            u.FragmentNumber++;
            int at = u.Payload.Count;
            byte[] nonce = [.. u.Nonce!, (byte)(u.FragmentNumber >> 8), (byte)u.FragmentNumber];
            byte[] aad = [(byte)(u.Version >> 8), (byte)u.Version, (byte)(at >> 16), (byte)(at >> 8), (byte)at, (byte)(u.Size >> 16), (byte)(u.Size >> 8), (byte)u.Size];
            var plain = new byte[body.Length - 8];
            try
            {
                using var ccm = new AesCcm(u.Key);
                ccm.Decrypt(nonce, body[..^8], body[^8..], plain, aad);
            }
            catch (CryptographicException)
            {
                _update = null;
                return Fail(0x2E, ProtectedOperation(ProtectedUpdateUs)); /* decryption failure */
            }
            body = plain;
        }
        u.Payload.AddRange(body);
        if (u.Payload.Count > u.Size) { _update = null; return Fail(0x05, ProtectedUpdateUs); }
        if (!final) return Ok([], ProtectedUpdateUs);
        _update = null;
        if (u.Payload.Count != u.Size) return Fail(0x05, ProtectedUpdateUs);
        var payload = u.Payload.ToArray();
        byte error = u.Type switch
        {
            -1 => WriteData(u, payload),
            -3 => WriteKey(u, payload),
            _ => ApplyMetadata(u, payload),
        };
        if (error != 0) return Fail(error, ProtectedUpdateUs);
        u.Target.Version = u.Version;
        return Ok([], ProtectedUpdateUs);
    }

    // Does a condition contain identifier(oid) (Int 21 or Conf 20 with an OID), alone or in a conjunction?
    private static bool Names(byte[]? ac, byte identifier, int oid)
    {
        if (ac is null) return false;
        for (int i = 0; i + 2 < ac.Length; i++)
            if (ac[i] == identifier && ac[i + 1] == (byte)(oid >> 8) && ac[i + 2] == (byte)oid) return true;
        return false;
    }
}
