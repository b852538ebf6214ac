namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>
    /// CalcSSec (0x33, ECDH SP 800-56A = 0x01): shared secret of a private key object and a peer's P-256
    /// public key (DER BIT STRING 03 42 00 04 X Y), exported (0x07) or kept in a session (0x08).
    /// </summary>
    public sealed class CalcSSec : ChipCommand
    {
        public const byte Code = 0x33;
        public const byte SchemeEcdh = 0x01;
        private readonly int _keyOid, _sessionOid;
        private readonly byte[] _peerPublicKey;

        public CalcSSec(int keyOid, byte[] peerPublicKeyBitString, int sessionOid)
        {
            _keyOid = keyOid;
            _peerPublicKey = peerPublicKeyBitString;
            _sessionOid = sessionOid;
        }

        public override byte[] GetBytes()
        {
            TlvWriter t = new TlvWriter().AddUInt16(0x01, _keyOid).AddByte(0x05, VerifySign.AlgP256).Add(0x06, _peerPublicKey);
            if (_sessionOid == 0)
            {
                t.Add(0x07, null);
            }
            else
            {
                t.AddUInt16(0x08, _sessionOid);
            }

            return Apdu(Code, SchemeEcdh, t.ToArray());
        }
    }
}
