using System.Security.Cryptography;
using SecureOta.Pkcs11;

namespace SecureOta.UpdateTool.DataSets;

/// <summary>ES256 inside a PKCS#11 token: SHA-256 here, CKM_ECDSA over the digest there; r‖s back.</summary>
public sealed class Pkcs11Signer(Pkcs11Token token, string keyLabel) : ISigner
{
    public byte[] Sign(byte[] toBeSigned) => token.SignDigest(keyLabel, SHA256.HashData(toBeSigned));
}
