namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>GenKeyPair (0x38, P-256 = 0x03) into a key OID with a key usage.</summary>
    public sealed class GenKeyPair : ChipCommand
    {
        public const byte Code = 0x38;
        public const byte UsageAuth = 0x01;
        public const byte UsageSign = 0x10;
        public const byte UsageKeyAgreement = 0x20;
        private readonly int _keyOid;
        private readonly byte _usage;

        public GenKeyPair(int keyOid, byte usage)
        {
            _keyOid = keyOid;
            _usage = usage;
        }

        public override byte[] GetBytes()
        {
            return Apdu(Code, VerifySign.AlgP256, new TlvWriter().AddUInt16(0x01, _keyOid).AddByte(0x02, _usage).ToArray());
        }
    }
}
