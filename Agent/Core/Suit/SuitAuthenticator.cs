using SecureOta.Core.Crypto;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Authenticates a SUIT envelope before any part of the manifest is interpreted (manifest-37,
    /// 6.2 and 8.3): the SUIT_Digest in the authentication wrapper must equal the SHA-256 of the
    /// bstr-wrapped manifest, and at least one COSE_Sign1 must verify with the trusted key over that
    /// SUIT_Digest (detached payload).
    /// </summary>
    public static class SuitAuthenticator
    {
        public static SuitResult Authenticate(SuitEnvelope envelope, ISha256 sha, IEs256Verifier verifier)
        {
            if (envelope.AuthDigestAlgorithm != SuitLabels.DigestSha256)
            {
                return new SuitResult(SuitError.UnsupportedAlgorithm, envelope.AuthDigestEncodedOffset, "manifest digest is not SHA-256");
            }

            byte[] actual = new byte[32];
            sha.Reset();
            sha.Update(envelope.Buffer, envelope.ManifestWrappedOffset, envelope.ManifestWrappedLength);
            sha.Finish(actual, 0);
            if (!SuitDigest.AreEqual(actual, envelope.AuthDigest))
            {
                return new SuitResult(SuitError.ManifestDigestMismatch, envelope.ManifestWrappedOffset,
                    "manifest does not match the digest in the authentication wrapper (modified manifest?)");
            }

            for (int i = 0; i < envelope.Signatures.Length; i++)
            {
                if (envelope.Signatures[i].Verify(sha, verifier, envelope.Buffer, envelope.AuthDigestEncodedOffset, envelope.AuthDigestEncodedLength))
                {
                    return SuitResult.Ok;
                }
            }

            return new SuitResult(SuitError.BadSignature, envelope.AuthDigestEncodedOffset,
                "no signature verifies with the trusted vendor key (wrong key, or a modified signature or manifest digest)");
        }
    }
}
