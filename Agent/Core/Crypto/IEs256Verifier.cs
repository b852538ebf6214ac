namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// Verifies an ECDSA P-256 signature over a SHA-256 digest with one trusted public key. On the
    /// device the security chip does it (VerifySign with the trust-anchor OID), so the key and the
    /// decision stay in the chip; on the host System.Security.Cryptography does.
    /// </summary>
    public interface IEs256Verifier
    {
        /// <param name="digest">32-byte SHA-256 digest of the signed structure.</param>
        /// <param name="signature">64 bytes: r then s, each 32 bytes big-endian (COSE form).</param>
        bool VerifyDigest(byte[] digest, byte[] signature);
    }
}
