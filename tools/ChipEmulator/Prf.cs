using System.Security.Cryptography;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The TLS 1.2 PRF (RFC 5246 section 5: P_hash(secret, label || seed)) with the hash DeriveKey names
/// (SRM-M Table 34: 01 SHA-256, 02 SHA-384, 03 SHA-512), on .NET's HMAC: deliberately not the agent's
/// own Tls12Prf, so the tests compare two implementations.
/// </summary>
public static class Prf
{
    public static byte[] Derive(HashAlgorithmName hash, byte[] secret, byte[] labelAndSeed, int length)
    {
        var output = new byte[length];
        byte[] a = labelAndSeed;
        int written = 0;
        while (written < length)
        {
            a = HMAC(hash, secret, a);
            byte[] block = HMAC(hash, secret, [.. a, .. labelAndSeed]);
            int n = Math.Min(block.Length, length - written);
            block.AsSpan(0, n).CopyTo(output.AsSpan(written));
            written += n;
        }
        return output;
    }

    private static byte[] HMAC(HashAlgorithmName hash, byte[] key, byte[] data) =>
        hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data)
        : hash == HashAlgorithmName.SHA384 ? HMACSHA384.HashData(key, data)
        : HMACSHA512.HashData(key, data);
}
