namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>DeriveKey (0x34, TLS PRF SHA256 = 0x01) from a secret OID; exported (0x07) or into a session (0x08).</summary>
    public sealed class DeriveKey : ChipCommand
    {
        public const byte Code = 0x34;
        public const byte KdfTlsPrfSha256 = 0x01;
        private readonly int _secretOid, _keyLength, _sessionOid;
        private readonly byte[] _derivationData;

        /// <param name="sessionOid">0 to export the key in the response, else E100..E103.</param>
        public DeriveKey(int secretOid, byte[] derivationData, int keyLength, int sessionOid)
        {
            if (derivationData == null || derivationData.Length < 8 || derivationData.Length > 1024 || keyLength < 16 || keyLength > 256)
            {
                throw new System.ArgumentOutOfRangeException("derivationData", "derivation data 8..1024 bytes, key 16..256 bytes");
            }

            _secretOid = secretOid;
            _derivationData = derivationData;
            _keyLength = keyLength;
            _sessionOid = sessionOid;
        }

        public override byte[] GetBytes()
        {
            TlvWriter t = new TlvWriter().AddUInt16(0x01, _secretOid).Add(0x02, _derivationData).AddUInt16(0x03, _keyLength);
            if (_sessionOid == 0)
            {
                t.Add(0x07, null);
            }
            else
            {
                t.AddUInt16(0x08, _sessionOid);
            }

            return Apdu(Code, KdfTlsPrfSha256, t.ToArray());
        }
    }
}
