using System;
using System.Security.Cryptography;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Host.Crypto
{
    /// <summary>Host adapter: ISha256 over System.Security.Cryptography (fast; the managed code's oracle).</summary>
    public sealed class DotNetSha256 : ISha256, IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void Update(byte[] data, int offset, int count) => _hash.AppendData(data, offset, count);

        public void Finish(byte[] output, int outputOffset)
        {
            if (!_hash.TryGetHashAndReset(output.AsSpan(outputOffset), out int written) || written != 32)
            {
                throw new ArgumentException("no room for the 32-byte digest");
            }
        }

        public void Reset()
        {
            Span<byte> discard = stackalloc byte[32];
            _hash.TryGetHashAndReset(discard, out _);
        }

        public void Dispose() => _hash.Dispose();
    }
}
