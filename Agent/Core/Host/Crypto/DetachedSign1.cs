using System.Security.Cryptography;
using SecureOta.Core.Cose;

namespace SecureOta.Core.Host.Crypto
{
    /// <summary>
    /// Host signer of a COSE_Sign1 with a detached payload (RFC 9052 4.2, 4.4): ES256 over the Sig_structure
    /// the devices verify (CoseSign1.BuildToBeSigned), in low-S form (Es256Signature). The update server's
    /// freshness statements and the test doubles that stand in for it use this one signer.
    /// </summary>
    public static class DetachedSign1
    {
        public static byte[] Sign(ECDsa key, byte[] payload)
        {
            var protectedHeader = CoseSign1.Es256ProtectedHeader();
            var signature = Es256Signature.ToLowS(key.SignData(CoseSign1.BuildToBeSigned(protectedHeader, payload, 0, payload.Length),
                HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
            return CoseSign1.Encode(protectedHeader, signature);
        }
    }
}
