using System.Security.Cryptography;

namespace SecureOta.UpdateTool.DataSets;

/// <summary>Signs the COSE Sig_structure with ES256; returns r || s (64 bytes).</summary>
public interface ISigner
{
    byte[] Sign(byte[] toBeSigned);
}

/// <summary>A signer holding the private key in this process (the HSM path uses 'create --unsigned' and 'sign').</summary>
public sealed class LocalKeySigner(ECDsa key) : ISigner
{
    public byte[] Sign(byte[] toBeSigned) =>
        key.SignData(toBeSigned, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
