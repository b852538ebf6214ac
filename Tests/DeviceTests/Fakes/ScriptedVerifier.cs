using SecureOta.Core.Crypto;

namespace SecureOta.DeviceTests.Fakes
{
    /// <summary>
    /// Stands in for the security chip's VerifySign in codec tests: answers as scripted and records
    /// what it was asked. ECDSA itself is the chip's job on the board (and .NET's in host tests).
    /// </summary>
    public sealed class ScriptedVerifier : IEs256Verifier
    {
        private readonly bool _answer;

        public ScriptedVerifier(bool answer)
        {
            _answer = answer;
        }

        public int Calls { get; private set; }

        public byte[] LastDigest { get; private set; }

        public byte[] LastSignature { get; private set; }

        public bool VerifyDigest(byte[] digest, byte[] signature)
        {
            Calls++;
            LastDigest = digest;
            LastSignature = signature;
            return _answer;
        }
    }
}
