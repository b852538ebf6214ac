namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>VerifySign (0x32, ECDSA without hash 0x11) with a public key from an OID or given inline.</summary>
    public sealed class VerifySign : ChipCommand
    {
        public const byte Code = 0x32;
        public const byte SchemeEcdsa = 0x11;
        public const byte AlgP256 = 0x03;
        private readonly byte[] _digest, _signature, _publicKey;
        private readonly int _keyOid;

        /// <param name="signatureDer">two DER INTEGERs r, s (EcdsaSignature.ToChip).</param>
        public VerifySign(byte[] digest, byte[] signatureDer, int keyOid)
        {
            _digest = digest;
            _signature = signatureDer;
            _keyOid = keyOid;
        }

        /// <param name="publicKeyBitString">03 42 00 04 X Y.</param>
        public VerifySign(byte[] digest, byte[] signatureDer, byte[] publicKeyBitString)
        {
            _digest = digest;
            _signature = signatureDer;
            _publicKey = publicKeyBitString;
        }

        public override byte[] GetBytes()
        {
            TlvWriter t = new TlvWriter().Add(0x01, _digest).Add(0x02, _signature);
            if (_publicKey == null)
            {
                t.AddUInt16(0x04, _keyOid);
            }
            else
            {
                t.AddByte(0x05, AlgP256).Add(0x06, _publicKey);
            }

            return Apdu(Code, SchemeEcdsa, t.ToArray());
        }
    }
}
