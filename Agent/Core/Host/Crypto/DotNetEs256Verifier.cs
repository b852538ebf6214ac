using System;
using System.Security.Cryptography;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Host.Crypto
{
    /// <summary>Host adapter: ES256 verification with a P-256 public key (the device asks its chip instead).</summary>
    public sealed class DotNetEs256Verifier : IEs256Verifier, IDisposable
    {
        private readonly ECDsa _key;

        public DotNetEs256Verifier(ECDsa publicKey)
        {
            ArgumentNullException.ThrowIfNull(publicKey);
            if (publicKey.KeySize != 256) throw new ArgumentException("a P-256 key is required");
            _key = publicKey;
        }

        public bool VerifyDigest(byte[] digest, byte[] signature) =>
            digest is { Length: 32 } && signature is { Length: 64 }
            && _key.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        public void Dispose() => _key.Dispose();
    }
}
