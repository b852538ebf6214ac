using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using SecureOta.Pkcs11;

namespace SecureOta.UpdateTool.Keys;

/// <summary>
/// Where the master-secret recipient's KEK comes from (docs/data-set-format.md, "Master-secret recipient:
/// key derivation"): KEK = first 16 bytes of TLS1.2-PRF-SHA256(master secret, derivation data).
/// </summary>
public interface IKekSource
{
    byte[] DeriveKek(byte[] derivationData);
}

/// <summary>The master secret from a hex file, in this process's memory (keygen --master-secret).</summary>
public sealed class FileKekSource(byte[] masterSecret) : IKekSource
{
    public byte[] DeriveKek(byte[] derivationData)
    {
        using var sha = new DotNetSha256();
        return Tls12Prf.Derive(sha, masterSecret, derivationData, KekDerivation.KekLength);
    }
}

/// <summary>
/// The master secret in a PKCS#11 token: the PRF built from HMAC-SHA256 operations inside the token
/// (CKM_SHA256_HMAC with the secret key): A(1) = HMAC(s, d), block 1 = HMAC(s, A(1) ‖ d), … (RFC 5246
/// section 5). A(i) and the blocks are outputs of the PRF, not the secret; only this data set's KEK is
/// ever out of the token.
/// </summary>
public sealed class TokenKekSource(Pkcs11Token token, string label) : IKekSource
{
    public byte[] DeriveKek(byte[] derivationData)
    {
        var output = new byte[KekDerivation.KekLength];
        byte[] a = derivationData;
        for (int written = 0; written < output.Length;)
        {
            a = token.Hmac(label, a);
            var block = token.Hmac(label, [.. a, .. derivationData]);
            int n = Math.Min(block.Length, output.Length - written);
            block.AsSpan(0, n).CopyTo(output.AsSpan(written));
            written += n;
        }
        return output;
    }
}
