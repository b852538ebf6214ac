namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>CalcSign (0x31, ECDSA without hash): signs a digest with a private key OID.</summary>
    public sealed class CalcSign : ChipCommand
    {
        public const byte Code = 0x31;
        private readonly byte[] _digest;
        private readonly int _keyOid;

        public CalcSign(byte[] digest, int keyOid)
        {
            _digest = digest;
            _keyOid = keyOid;
        }

        public override byte[] GetBytes()
        {
            return Apdu(Code, VerifySign.SchemeEcdsa, new TlvWriter().Add(0x01, _digest).AddUInt16(0x03, _keyOid).ToArray());
        }
    }
}
