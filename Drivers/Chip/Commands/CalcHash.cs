namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>
    /// CalcHash (0x30, SHA-256 = 0xE2) over data given in the command, in one go (tag 0x01 = start and
    /// final). The response is 0x01, len, digest. Contexts for multi-part hashing are not used: the
    /// agent hashes images in managed code, which is far faster than the chip (~5 KB/s).
    /// </summary>
    public sealed class CalcHash : ChipCommand
    {
        public const byte Code = 0x30;
        public const byte AlgSha256 = 0xE2;
        public const byte TagStartFinal = 0x01;
        private readonly byte[] _data;

        public CalcHash(byte[] data)
        {
            if (data == null || data.Length > 1024)
            {
                throw new System.ArgumentOutOfRangeException("data", "at most 1024 bytes in one command");
            }

            _data = data;
        }

        /// <summary>Public input: only the answer needs protection (its integrity, and for random bytes their secrecy).</summary>
        public override byte Protection
        {
            get { return PresentationLayer.ProtectResponse; }
        }

        public override byte[] GetBytes()
        {
            return Apdu(Code, AlgSha256, new TlvWriter().Add(TagStartFinal, _data).ToArray());
        }
    }
}
