using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.ChipEmulator;

/// <summary>
/// Trust M RSA (M-CMD optiga_cmd_encrypt_asym_handler / decrypt_asym_handler, gen_keypair and
/// calc_sign / verify_sign with RSA parameters; SRM-M Tables 29-32): key pairs RSA-1024 (0x41) and
/// RSA-2048 (0x42) in E0FC/E0FD, RSASSA-PKCS1-v1_5 signatures over a SHA-256/384/512 digest (0x01,
/// 0x02, 0x03), RSAES-PKCS1-v1_5 encryption (0x11) of a message or of a session's pre-master secret
/// (GetRandom 0x04), decryption exported or into a session. Public keys travel as a DER BIT STRING
/// around RSAPublicKey (M-EX example_util_encode_rsa_public_key_in_bit_string_format).
/// </summary>
public sealed partial class ApduProcessor
{
    public const int RsaSignUs = 310_000, RsaVerifyUs = 40_000, RsaKeyGenUs = 2_900_000;
    private const byte AlgRsa1024 = 0x41, AlgRsa2048 = 0x42, SchemeRsaesPkcs1 = 0x11;

    private static bool IsRsaKeySlot(int oid) => oid is 0xE0FC or 0xE0FD;

    private static byte[] RsaPublicBitString(RSA key)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        w.WriteBitString(key.ExportRSAPublicKey());
        return w.Encode();
    }

    private static RSA? RsaFromBitString(byte[] bits)
    {
        try
        {
            var r = new AsnReader(bits, AsnEncodingRules.DER);
            var inner = r.ReadBitString(out int unused);
            if (unused != 0 || r.HasData) return null;
            var key = RSA.Create();
            key.ImportRSAPublicKey(inner, out int read);
            return read == inner.Length ? key : null;
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return null;
        }
    }

    private static HashAlgorithmName? RsaSignatureHash(byte scheme) => scheme switch
    {
        0x01 => HashAlgorithmName.SHA256,
        0x02 => HashAlgorithmName.SHA384,
        0x03 => HashAlgorithmName.SHA512,
        _ => null,
    };

    // The public key a command names: a certificate in an object (04 OID; execute condition), or inline (05 algorithm, 06 BIT STRING).
    private RSA? RsaPublicKey(Dictionary<byte, byte[]> t, out byte error)
    {
        error = 0x05;
        if (t.TryGetValue(0x04, out var oidBytes) && Oid(oidBytes) >= 0)
        {
            if (!state.Objects.TryGetValue(Oid(oidBytes), out var o) || o.Data.Length == 0) { error = 0x01; return null; }
            if (!Allows(o.Execute, o)) { error = 0x07; return null; }
            using var cert = X509CertificateLoader.LoadCertificate(o.Data);
            return cert.GetRSAPublicKey();
        }
        if (t.TryGetValue(0x05, out var alg) && alg.Length == 1 && alg[0] is AlgRsa1024 or AlgRsa2048 && t.TryGetValue(0x06, out var bits))
            return RsaFromBitString(bits);
        return null;
    }

    private (byte[], int) RsaGenKeyPair(byte alg, Dictionary<byte, byte[]> t)
    {
        if (t.Count != 2 || !t.TryGetValue(0x01, out var oidBytes) || !IsRsaKeySlot(Oid(oidBytes)) || !t.TryGetValue(0x02, out var usage) || usage.Length != 1)
            return Fail(0x05, RsaKeyGenUs); /* an RSA pair is made into E0FC/E0FD; exporting it is not offered */
        using var key = RSA.Create(alg == AlgRsa1024 ? 1024 : 2048);
        if (!StoreKey(Oid(oidBytes), key.ExportPkcs8PrivateKey(), usage[0])) return Fail(0x07, RsaKeyGenUs);
        var pub = RsaPublicBitString(key);
        return Ok([0x02, (byte)(pub.Length >> 8), (byte)pub.Length, .. pub], RsaKeyGenUs);
    }

    private (byte[], int) RsaSign(byte scheme, Dictionary<byte, byte[]> t)
    {
        if (!t.TryGetValue(0x01, out var digest) || !t.TryGetValue(0x03, out var oidBytes) || !IsRsaKeySlot(Oid(oidBytes))) return Fail(0x05, RsaSignUs);
        var (pkcs8, error) = PrivateKey(Oid(oidBytes), ChipState.UsageAuth | ChipState.UsageSign);
        if (pkcs8 is null) return Fail(error, RsaSignUs);
        using var key = RSA.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        var hash = RsaSignatureHash(scheme)!.Value;
        if (digest.Length != (hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64)) return Fail(0x05, RsaSignUs);
        return Ok(key.SignHash(digest, hash, RSASignaturePadding.Pkcs1), ProtectedOperation(RsaSignUs));
    }

    private (byte[], int) RsaVerify(byte scheme, Dictionary<byte, byte[]> t)
    {
        if (!t.TryGetValue(0x01, out var digest) || !t.TryGetValue(0x02, out var signature)) return Fail(0x05, RsaVerifyUs);
        RSA? key = null;
        try
        {
            key = RsaPublicKey(t, out byte error);
            if (key is null) return Fail(error, RsaVerifyUs);
            return key.VerifyHash(digest, signature, RsaSignatureHash(scheme)!.Value, RSASignaturePadding.Pkcs1) ? Ok([], RsaVerifyUs) : Fail(0x2C, RsaVerifyUs);
        }
        catch (CryptographicException)
        {
            return Fail(0x29, RsaVerifyUs);
        }
        finally
        {
            key?.Dispose();
        }
    }

    private (byte[], int) EncryptAsym(byte scheme, byte[] d)
    {
        var t = Tlvs(d);
        if (scheme != SchemeRsaesPkcs1) return Fail(0x03, RsaVerifyUs);
        if (t is null) return Fail(0x05, RsaVerifyUs);
        byte[] message;
        if (t.TryGetValue(0x61, out var m)) message = m;
        else if (t.TryGetValue(0x02, out var s) && _sessions.TryGetValue(Oid(s), out var session) && session.Secret is not null) message = session.Secret;
        else return Fail(0x05, RsaVerifyUs);
        RSA? key = null;
        try
        {
            key = RsaPublicKey(t, out byte error);
            if (key is null) return Fail(error, RsaVerifyUs);
            if (message.Length > key.KeySize / 8 - 11) return Fail(0x05, RsaVerifyUs);
            var c = key.Encrypt(message, RSAEncryptionPadding.Pkcs1);
            return Ok([0x61, (byte)(c.Length >> 8), (byte)c.Length, .. c], RsaVerifyUs);
        }
        catch (CryptographicException)
        {
            return Fail(0x29, RsaVerifyUs);
        }
        finally
        {
            key?.Dispose();
        }
    }

    private (byte[], int) DecryptAsym(byte scheme, byte[] d)
    {
        var t = Tlvs(d);
        if (scheme != SchemeRsaesPkcs1) return Fail(0x03, RsaSignUs);
        if (t is null || !t.TryGetValue(0x61, out var cipher) || !t.TryGetValue(0x03, out var oidBytes) || !IsRsaKeySlot(Oid(oidBytes))) return Fail(0x05, RsaSignUs);
        // Into a session with 02 OID; otherwise the plaintext is exported (M-CMD sends no 07 tag for it).
        int into = t.TryGetValue(0x02, out var s) ? Oid(s) : -1;
        bool export = into < 0;
        if (!export && !SessionContext.IsSession(into)) return Fail(0x05, RsaSignUs);
        var (pkcs8, error) = PrivateKey(Oid(oidBytes), ChipState.UsageEncryption);
        if (pkcs8 is null) return Fail(error, RsaSignUs);
        using var key = RSA.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        byte[] plain;
        try { plain = key.Decrypt(cipher, RSAEncryptionPadding.Pkcs1); }
        catch (CryptographicException) { return Fail(0x2E, ProtectedOperation(RsaSignUs)); } /* decryption failure */
        int us = ProtectedOperation(RsaSignUs);
        if (export) return Ok([0x61, (byte)(plain.Length >> 8), (byte)plain.Length, .. plain], us);
        _sessions[into] = new SessionContext { Secret = plain };
        return Ok([], us);
    }

    // GetRandom param 04 (Trust M): a pre-master secret into the session, optional data (tag 41) first, the rest random.
    private (byte[], int) PreMasterSecret(byte[] d)
    {
        if (d.Length < 7) return Fail(0x04, RandomUs);
        int n = (d[0] << 8) | d[1], oid = (d[2] << 8) | d[3];
        var t = Tlvs(d.AsSpan(4).ToArray());
        if (!SessionContext.IsSession(oid) || t is null || !t.TryGetValue(0x41, out var prefix) || t.Count != 1) return Fail(0x05, RandomUs);
        if (n is < 8 or > 256 || prefix.Length > n) return Fail(0x05, RandomUs);
        _sessions[oid] = new SessionContext { Secret = [.. prefix, .. RandomNumberGenerator.GetBytes(n - prefix.Length)] };
        return Ok([], RandomUs);
    }
}
