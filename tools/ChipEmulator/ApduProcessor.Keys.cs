using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The key commands with session contexts: VerifySign, CalcSign, GenKeyPair (into a key object, into a
/// session, or exported), CalcSSec (exported or into a session), DeriveKey (from a session on both
/// parts, from a PRESSEC data object on a Trust M only; exported or into a session). SRM-M Tables 29-34,
/// X-CMDC CmdLib_GenerateKeyPair / CalculateSharedSecret / DeriveKey, X-EX example_optiga_crypt_tls_prf_sha256.c.
/// </summary>
public sealed partial class ApduProcessor
{
    // Tags (SRM-M Tables 29-34): 01 OID or digest, 02 signature / usage / derivation data, 03 key OID / key length,
    // 04 certificate OID / info, 05 algorithm, 06 public key, 07 export, 08 into a session.
    private const byte TagExport = 0x07, TagSession = 0x08;
    public const int DeriveSessionMaxKey = 66, ExportMaxKey = 256;

    private readonly Dictionary<int, SessionContext> _sessions = new();

    /// <summary>The session contexts now held (for tests: what a reset or an open clears).</summary>
    public int SessionCount => _sessions.Count;

    // TLVs of InData; a truncated one or a repeated tag makes the whole field invalid.
    private static Dictionary<byte, byte[]>? Tlvs(byte[] d)
    {
        var tags = new Dictionary<byte, byte[]>();
        for (int i = 0; i < d.Length;)
        {
            if (i + 3 > d.Length) return null;
            int len = (d[i + 1] << 8) | d[i + 2];
            if (i + 3 + len > d.Length || tags.ContainsKey(d[i])) return null;
            tags[d[i]] = d.AsSpan(i + 3, len).ToArray();
            i += 3 + len;
        }
        return tags;
    }

    private static int Oid(byte[] b) => b.Length == 2 ? (b[0] << 8) | b[1] : -1;

    private EccCurve? CurveOf(byte algId) => EccCurve.Of(algId, state.Part);

    // A P-256 figure charged for the key's curve (EccCurve.Scaled).
    private static int ForCurve(int p256Us, ECAlgorithm key) => EccCurve.OfKey(key) is { } c ? c.Scaled(p256Us) : p256Us;

    // A private key the command may use: a key object E0F0-E0F3 (execute AC, usage) or a session holding a key.
    private (byte[]? Key, byte Error) PrivateKey(int oid, byte usage)
    {
        if (SessionContext.IsSession(oid))
        {
            if (!_sessions.TryGetValue(oid, out var session) || session.PrivateKeyPkcs8 is null) return (null, 0x01);
            return (session.KeyUsage & usage) != 0 ? (session.PrivateKeyPkcs8, (byte)0) : (null, (byte)0x07);
        }
        if (oid is not (>= 0xE0F0 and <= 0xE0F3 or 0xE0FC or 0xE0FD) || !state.Objects.TryGetValue(oid, out var o) || o.PrivateKey is null) return (null, 0x01);
        if (!Allows(o.Execute, o)) return (null, 0x07);
        return (o.Usage & usage) != 0 ? (o.PrivateKey, (byte)0) : (null, (byte)0x07);
    }

    private (byte[], int) Verify(byte param, byte[] d)
    {
        var t = Tlvs(d);
        if (state.Part.HasTrustMObjects && RsaSignatureHash(param) is not null) return t is null ? Fail(0x05, RsaVerifyUs) : RsaVerify(param, t);
        if (param != 0x11) return Fail(0x03, VerifyUs);
        if (t is null || !t.TryGetValue(0x01, out var digest) || !t.TryGetValue(0x02, out var sigDer) || digest.Length is < 10 or > 64) return Fail(0x05, VerifyUs);
        ECDsa? key = null;
        try
        {
            if (t.TryGetValue(0x04, out var oidBytes) && oidBytes.Length == 2)
            {
                int oid = Oid(oidBytes);
                if (!state.Objects.TryGetValue(oid, out var o) || o.Data.Length == 0) return Fail(0x01, VerifyUs);
                if (!Allows(o.Execute, o)) return Fail(0x07, VerifyUs);
                using var cert = X509CertificateLoader.LoadCertificate(o.Data);
                key = cert.GetECDsaPublicKey();
                if (key is null) return Fail(0x29, VerifyUs);
            }
            else if (t.TryGetValue(0x05, out var alg) && alg.Length == 1 && CurveOf(alg[0]) is { } curve && t.TryGetValue(0x06, out var bitString)
                && curve.PublicFromBitString(bitString) is { } pub)
            {
                key = ECDsa.Create(pub);
            }
            else return Fail(0x05, VerifyUs);
            int us = ForCurve(VerifyUs, key);
            var raw = Widen(sigDer, (key.KeySize + 7) / 8);
            if (raw is null) return Fail(0x05, us);
            return key.VerifyHash(digest, raw, DSASignatureFormat.IeeeP1363FixedFieldConcatenation) ? Ok([], us) : Fail(0x2C, us);
        }
        catch (CryptographicException)
        {
            return Fail(0x29, VerifyUs);
        }
        finally
        {
            key?.Dispose();
        }
    }

    // The two DER INTEGERs r, s (SRM-M "ECDSA Signature") into fixed fields of the key's length.
    private static byte[]? Widen(byte[] der, int half)
    {
        var result = new byte[2 * half];
        int i = 0;
        for (int k = 0; k < 2; k++)
        {
            if (i + 2 > der.Length || der[i] != 0x02) return null;
            int len = der[i + 1];
            if (i + 2 + len > der.Length) return null;
            var v = der.AsSpan(i + 2, len);
            while (v.Length > 0 && v[0] == 0) v = v[1..];
            if (v.Length > half) return null;
            v.CopyTo(result.AsSpan(k * half + half - v.Length));
            i += 2 + len;
        }
        return i == der.Length ? result : null;
    }

    private (byte[], int) Sign(byte param, byte[] d)
    {
        var t = Tlvs(d);
        if (state.Part.HasTrustMObjects && RsaSignatureHash(param) is not null) return t is null ? Fail(0x05, RsaSignUs) : RsaSign(param, t);
        if (param != 0x11) return Fail(0x03, SignUs);
        if (t is null || !t.TryGetValue(0x01, out var digest) || !t.TryGetValue(0x03, out var oidBytes) || oidBytes.Length != 2 || digest.Length < 10)
            return Fail(0x05, SignUs);
        var (pkcs8, error) = PrivateKey(Oid(oidBytes), ChipState.UsageAuth | ChipState.UsageSign);
        if (pkcs8 is null) return Fail(error, SignUs);
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        if (digest.Length > (key.KeySize + 7) / 8) return Fail(0x05, SignUs); /* the digest is at most the key length (SRM-M fn 62) */
        return EcdsaAnswer(key, digest);
    }

    /// <summary>The chip's ECDSA answer over a digest (CalcSign, GetAuthMsg): r and s as two DER INTEGERs; a private-key use.</summary>
    private (byte[], int) EcdsaAnswer(ECDsa key, byte[] digest) =>
        Ok(DerIntegers(key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)), ProtectedOperation(ForCurve(SignUs, key)));

    /// <summary>r and s as two DER INTEGERs without a SEQUENCE (SRM-M "ECDSA Signature"), for any key length.</summary>
    private static byte[] DerIntegers(byte[] raw)
    {
        var result = new List<byte>();
        int half = raw.Length / 2;
        for (int k = 0; k < 2; k++)
        {
            var v = raw.AsSpan(k * half, half);
            while (v.Length > 1 && v[0] == 0 && v[1] < 0x80) v = v[1..];
            bool pad = v[0] >= 0x80;
            result.Add(0x02);
            result.Add((byte)(v.Length + (pad ? 1 : 0)));
            if (pad) result.Add(0x00);
            result.AddRange(v.ToArray());
        }
        return result.ToArray();
    }

    private (byte[], int) GenKeyPair(byte param, byte[] d)
    {
        var t = Tlvs(d);
        if (state.Part.HasTrustMObjects && param is AlgRsa1024 or AlgRsa2048) return t is null ? Fail(0x05, RsaKeyGenUs) : RsaGenKeyPair(param, t);
        if (CurveOf(param) is not { } curve) return Fail(0x03, KeyGenUs);
        if (t is null) return Fail(0x05, KeyGenUs);
        using var key = ECDsa.Create(curve.Curve);
        byte[] pub = EccCurve.BitString(key.ExportParameters(false));
        int keyGenUs = curve.Scaled(KeyGenUs);
        if (t.Count == 1 && t.TryGetValue(TagExport, out var none) && none.Length == 0)
        {
            // The pair exported: private key as a DER OCTET STRING, then the public key (SRM-M fn 73-74).
            byte[] d0 = key.ExportParameters(true).D!;
            return Ok([0x01, 0x00, (byte)(d0.Length + 2), 0x04, (byte)d0.Length, .. d0, 0x02, 0x00, (byte)pub.Length, .. pub], keyGenUs);
        }
        if (t.Count != 2 || !t.TryGetValue(0x01, out var oidBytes) || Oid(oidBytes) < 0 || !t.TryGetValue(0x02, out var usage) || usage.Length != 1)
            return Fail(0x05, keyGenUs);
        int oid = Oid(oidBytes);
        if (SessionContext.IsSession(oid))
        {
            _sessions[oid] = new SessionContext { PrivateKeyPkcs8 = key.ExportPkcs8PrivateKey(), KeyUsage = usage[0] };
            return Ok([0x02, 0x00, (byte)pub.Length, .. pub], keyGenUs);
        }
        if (oid is < 0xE0F0 or > 0xE0F3) return Fail(0x01, keyGenUs);
        if (!StoreKey(oid, key.ExportPkcs8PrivateKey(), usage[0])) return Fail(0x07, keyGenUs);
        return Ok([0x02, 0x00, (byte)pub.Length, .. pub], keyGenUs);
    }

    // A key generated into a slot: the slot keeps its metadata (access conditions, life cycle); the key
    // and its usage are new. False when the slot's change condition does not allow it.
    private bool StoreKey(int oid, byte[] pkcs8, byte usage)
    {
        if (!state.Objects.TryGetValue(oid, out var slot))
            state.Add(slot = new DataObject { Oid = oid, MaxSize = 0, Read = [AccessCondition.Never] });
        if (!Allows(slot.Change, slot)) return false;
        slot.PrivateKey = pkcs8;
        slot.Usage = usage;
        return true;
    }

    private (byte[], int) SharedSecret(byte param, byte[] d)
    {
        var t = Tlvs(d);
        if (param != 0x01) return Fail(0x03, EcdhUs);
        if (t is null || !t.TryGetValue(0x01, out var oidBytes) || Oid(oidBytes) < 0 || !t.TryGetValue(0x05, out var alg) || alg.Length != 1
            || CurveOf(alg[0]) is not { } curve || !t.TryGetValue(0x06, out var peerBits)) return Fail(0x05, EcdhUs);
        int? into = Destination(t);
        if (into is null) return Fail(0x05, EcdhUs);
        int oid = Oid(oidBytes);
        var (pkcs8, error) = PrivateKey(oid, ChipState.UsageKeyAgreement);
        if (pkcs8 is null) return Fail(error, EcdhUs);
        try
        {
            using var mine = ECDiffieHellman.Create();
            mine.ImportPkcs8PrivateKey(pkcs8, out _);
            // The private key must be on the curve the command names, the peer's point too.
            if (EccCurve.OfKey(mine) is not { } own || own.AlgId != curve.AlgId || curve.PublicFromBitString(peerBits) is not { } peerPub) return Fail(0x05, EcdhUs);
            using var other = ECDiffieHellman.Create(peerPub);
            byte[] secret = mine.DeriveRawSecretAgreement(other.PublicKey);
            int ecdhUs = curve.Scaled(EcdhUs);
            int us = SessionContext.IsSession(oid) ? ecdhUs : ProtectedOperation(ecdhUs);
            if (into == 0) return Ok(secret, us);
            _sessions[into.Value] = new SessionContext { Secret = secret };
            return Ok([], us);
        }
        catch (CryptographicException)
        {
            return Fail(0x05, EcdhUs); /* the peer's point is not on the curve */
        }
    }

    // Either 07 0000 (export: 0) or 08 0002 session OID (into the session), never both.
    private static int? Destination(Dictionary<byte, byte[]> t)
    {
        bool export = t.TryGetValue(TagExport, out var e);
        bool session = t.TryGetValue(TagSession, out var s);
        if (export == session) return null;
        if (export) return e!.Length == 0 ? 0 : null;
        int oid = Oid(s!);
        return SessionContext.IsSession(oid) ? oid : null;
    }

    private (byte[], int) Derive(byte param, byte[] d)
    {
        var t = Tlvs(d);
        HashAlgorithmName? hash = param switch
        {
            0x01 => HashAlgorithmName.SHA256,
            0x02 or 0x09 when state.Part.HasTrustMObjects => HashAlgorithmName.SHA384,
            0x03 or 0x0A when state.Part.HasTrustMObjects => HashAlgorithmName.SHA512,
            0x08 when state.Part.HasTrustMObjects => HashAlgorithmName.SHA256,
            _ => null,
        };
        bool hkdf = param >= 0x08;
        int deriveUs = hkdf ? Durations.HkdfUs : Durations.TlsPrfUs;
        if (hash is null) return Fail(0x03, deriveUs);
        if (t is null || !t.TryGetValue(0x01, out var oidBytes) || Oid(oidBytes) < 0
            || !t.TryGetValue(0x02, out var derivation) || !t.TryGetValue(0x03, out var lenBytes) || lenBytes.Length != 2)
            return Fail(0x05, deriveUs);
        int keyLength = (lenBytes[0] << 8) | lenBytes[1];
        byte[] info = t.TryGetValue(0x04, out var i4) && hkdf ? i4 : [];
        if ((t.ContainsKey(0x04) && !hkdf) || info.Length > 256) return Fail(0x05, deriveUs);
        int? into = Destination(t);
        if (into is null) return Fail(0x05, deriveUs);
        if ((hkdf ? derivation.Length > 1024 : derivation.Length is < 8 or > 1024) || keyLength < 16 || keyLength > (into == 0 ? ExportMaxKey : DeriveSessionMaxKey))
            return Fail(0x05, deriveUs);
        int oid = Oid(oidBytes);
        byte[] secret;
        int us = deriveUs;
        if (SessionContext.IsSession(oid))
        {
            if (!_sessions.TryGetValue(oid, out var session) || session.Secret is null) return Fail(0x01, deriveUs);
            secret = session.Secret;
        }
        else
        {
            // A persistent secret (PRESSEC) is a Trust M feature; a Trust X derives from session contexts only.
            if (!state.Part.HasTrustMObjects || !state.Objects.TryGetValue(oid, out var o)) return Fail(0x01, deriveUs);
            if (o.Type != DataObject.TypePresSec) return Fail(0x07, deriveUs);
            if (!Allows(o.Execute, o)) return Fail(0x07, deriveUs);
            secret = o.Data.Length > 64 ? o.Data[..64] : o.Data;
            us = ProtectedOperation(deriveUs);
        }
        byte[] key = hkdf ? HKDF.DeriveKey(hash.Value, secret, keyLength, derivation, info) : Prf.Derive(hash.Value, secret, derivation, keyLength);
        if (into == 0) return Ok(key, us);
        _sessions[into.Value] = new SessionContext { Secret = key };
        return Ok([], us);
    }
}
