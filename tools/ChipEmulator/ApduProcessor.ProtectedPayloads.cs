using System.Security.Cryptography;

namespace SecureOta.ChipEmulator;

/// <summary>
/// What a verified protected update writes: data at an offset, a key into a key slot, or metadata
/// (M-TOOL protected_update_form_payload_for_*; optiga-trust.md 5).
/// </summary>
public sealed partial class ApduProcessor
{
    private static byte WriteData(ProtectedUpdate u, byte[] payload)
    {
        var current = u.WriteType == 2 ? [] : u.Target.Data;
        var result = new byte[Math.Max(current.Length, u.Offset + u.Size)];
        current.CopyTo(result, 0);
        payload.CopyTo(result, u.Offset);
        u.Target.Data = result;
        return 0;
    }

    // Key payloads (M-TOOL protected_update_form_payload_for_*): TLVs with a 2-byte length, values
    // left-padded to the key size. AES: 01 key. ECC: 01 D, optionally 02 X‖Y, on any of the part's curves
    // (M-TOOL user_input_parser.c offers P-256/384/521 and Brainpool P256r1/P384r1/P512r1). RSA: 01 D, 02 N, 03 E.
    private byte WriteKey(ProtectedUpdate u, byte[] payload)
    {
        var t = Tlvs(payload);
        if (t is null || !t.TryGetValue(0x01, out var d)) return 0x05;
        byte alg = (byte)u.Offset, usage = (byte)u.WriteType;
        try
        {
            switch (alg)
            {
                case 0x81 or 0x82 or 0x83 when u.Target.Oid == OidSymmetricKey:
                    if (d.Length != (alg - 0x80) * 8 + 8) return 0x05;
                    u.Target.SymmetricKey = d;
                    break;
                case var _ when CurveOf(alg) is { } curve && u.Target.Oid is >= 0xE0F1 and <= 0xE0F3:
                {
                    if (d.Length != curve.Coordinate) return 0x05;
                    var p = new ECParameters { Curve = curve.Curve, D = d };
                    if (t.TryGetValue(0x02, out var xy)) p.Q = new ECPoint { X = xy[..(xy.Length / 2)], Y = xy[(xy.Length / 2)..] };
                    using var key = ECDsa.Create(p);
                    u.Target.PrivateKey = key.ExportPkcs8PrivateKey();
                    break;
                }
                case AlgRsa1024 or AlgRsa2048 when u.Target.Oid is 0xE0FC or 0xE0FD:
                {
                    if (!t.TryGetValue(0x02, out var n) || !t.TryGetValue(0x03, out var e)) return 0x05;
                    using var key = RSA.Create();
                    key.ImportParameters(RsaFromExponents(n, e, d));
                    u.Target.PrivateKey = key.ExportPkcs8PrivateKey();
                    break;
                }
                default:
                    return 0x0F;
            }
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return 0x05;
        }
        u.Target.Usage = usage;
        return 0;
    }

    // The payload is a metadata TLV applied whatever the life cycle (the D8 descriptor authorised it);
    // then the content reset the manifest asks for (1: zeros, 2: random), or else the object's reset
    // type (F0): LcsO := X (0x0X), data flushed with zeros (0x10) or random (0x20). An LcsO the payload
    // sets stands; otherwise the object keeps at least its former life cycle.
    private byte ApplyMetadata(ProtectedUpdate u, byte[] payload)
    {
        var o = u.Target;
        byte lcs = o.Lcs;
        o.Lcs = DataObject.LcsCreation; /* the descriptor stands in for "LcsO below operational" */
        if (WriteMetadata(o, payload) is { } error) { o.Lcs = lcs; return error; }
        byte reset = u.Offset switch { 1 => 0x10, 2 => 0x20, _ => o.Extra.TryGetValue(0xF0, out var f) && f.Length == 1 ? f[0] : (byte)0 };
        if (reset == 0x10) o.Data = new byte[o.Data.Length];
        else if (reset == 0x20) o.Data = RandomNumberGenerator.GetBytes(o.Data.Length);
        if (reset is > 0 and < 0x10) o.Lcs = reset;
        else if (!SetsTag(payload, 0xC0)) o.Lcs = lcs;
        return 0;
    }

    // Does a metadata TLV (20 len, then tag len value ..., already validated) carry `tag`?
    private static bool SetsTag(byte[] metadata, byte tag)
    {
        for (int i = 2; i + 1 < metadata.Length; i += 2 + metadata[i + 1])
            if (metadata[i] == tag) return true;
        return false;
    }

    // RSA private key from (n, e, d): p and q recovered (NIST SP 800-56B Appendix C), then the CRT values .NET needs.
    private static RSAParameters RsaFromExponents(byte[] nBytes, byte[] eBytes, byte[] dBytes)
    {
        var n = new System.Numerics.BigInteger(nBytes, isUnsigned: true, isBigEndian: true);
        var e = new System.Numerics.BigInteger(eBytes, isUnsigned: true, isBigEndian: true);
        var d = new System.Numerics.BigInteger(dBytes, isUnsigned: true, isBigEndian: true);
        var k = d * e - 1;
        int t = 0;
        var r = k;
        while (r.IsEven) { r >>= 1; t++; }
        for (int g = 2; g < 1000; g++)
        {
            var x = System.Numerics.BigInteger.ModPow(g, r, n);
            for (int i = 0; i < t && x != 1 && x != n - 1; i++)
            {
                var y = System.Numerics.BigInteger.ModPow(x, 2, n);
                if (y == 1)
                {
                    var p = System.Numerics.BigInteger.GreatestCommonDivisor(x - 1, n);
                    var q = n / p;
                    int size = nBytes.SkipWhile(b => b == 0).Count(), half = (size + 1) / 2;
                    byte[] Be(System.Numerics.BigInteger v, int len)
                    {
                        var raw = v.ToByteArray(isUnsigned: true, isBigEndian: true);
                        var outp = new byte[len];
                        raw.CopyTo(outp, len - raw.Length);
                        return outp;
                    }
                    var inverseQ = System.Numerics.BigInteger.ModPow(q, p - 2, p);
                    return new RSAParameters
                    {
                        Modulus = Be(n, size), Exponent = eBytes.SkipWhile(b => b == 0).ToArray(), D = Be(d, size),
                        P = Be(p, half), Q = Be(q, half), DP = Be(d % (p - 1), half), DQ = Be(d % (q - 1), half), InverseQ = Be(inverseQ, half),
                    };
                }
                x = y;
            }
        }
        throw new CryptographicException("n, e and d do not make an RSA key");
    }
}
