namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>GetRandom (0x0C): TRNG bytes, 8..256.</summary>
    public sealed class GetRandom : ChipCommand
    {
        public const byte Code = 0x0C;
        private readonly int _length;

        public GetRandom(int length)
        {
            if (length < 8 || length > 256)
            {
                throw new System.ArgumentOutOfRangeException("length", "8..256 bytes");
            }

            _length = length;
        }

        /// <summary>Public input: only the answer needs protection (its integrity, and for random bytes their secrecy).</summary>
        public override byte Protection
        {
            get { return PresentationLayer.ProtectResponse; }
        }

        public override byte[] GetBytes()
        {
            return Apdu(Code, 0x00, new byte[] { (byte)(_length >> 8), (byte)_length });
        }
    }
}
