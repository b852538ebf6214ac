using SecureOta.Core.Crypto;
using SecureOta.Drivers.Chip;

namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// The codec's signature check done by the security chip: VerifySign with the vendor's trust anchor,
    /// so the key and the decision stay in the chip. Remembers the chip's answer so that the agent can
    /// tell a bad signature (0x802C) from a chip failure.
    /// </summary>
    public sealed class ChipSignatureVerifier : IEs256Verifier
    {
        private readonly SecurityChip _chip;
        private readonly int _trustAnchorOid;

        public ChipSignatureVerifier(SecurityChip chip, int trustAnchorOid)
        {
            _chip = chip;
            _trustAnchorOid = trustAnchorOid;
        }

        /// <summary>The chip's answer to the last verification.</summary>
        public ChipResult LastResult { get; private set; }

        public bool VerifyDigest(byte[] digest, byte[] signature)
        {
            LastResult = _chip.VerifyWithTrustAnchor(_trustAnchorOid, digest, signature);
            return LastResult.IsOk;
        }
    }
}
