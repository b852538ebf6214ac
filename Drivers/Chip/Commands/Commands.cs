namespace SecureOta.Drivers.Chip.Commands
{
    // The command set the agent uses (optiga-trust.md 2.3). Command codes without the 0x80
    // "flush last error" bit, as the Trust X host sends them (the datasheet trace shows 0x70, 0x01).

    /// <summary>OpenApplication (0x70): must follow every reset; AID "GenAuthAppl".</summary>
    public sealed class OpenApplication : ChipCommand
    {
        public const byte Code = 0x70;

        /// <summary>RID D276000004 || PIX "GenAuthAppl".</summary>
        public static readonly byte[] Aid = new byte[] { 0xD2, 0x76, 0x00, 0x00, 0x04, 0x47, 0x65, 0x6E, 0x41, 0x75, 0x74, 0x68, 0x41, 0x70, 0x70, 0x6C };

        public override byte[] GetBytes()
        {
            return Apdu(Code, 0x00, Aid);
        }
    }

    /// <summary>GetDataObject (0x01): data (param 0) from offset, or metadata (param 1).</summary>
    public sealed class GetDataObject : ChipCommand
    {
        public const byte Code = 0x01;
        private readonly int _oid, _offset, _length;
        private readonly bool _metadata;

        public GetDataObject(int oid, int offset, int length)
        {
            _oid = oid;
            _offset = offset;
            _length = length;
        }

        private GetDataObject(int oid)
        {
            _oid = oid;
            _metadata = true;
        }

        public static GetDataObject Metadata(int oid)
        {
            return new GetDataObject(oid);
        }

        public override byte[] GetBytes()
        {
            if (_metadata)
            {
                return Apdu(Code, 0x01, new byte[] { (byte)(_oid >> 8), (byte)_oid });
            }

            return Apdu(Code, 0x00, new byte[] { (byte)(_oid >> 8), (byte)_oid, (byte)(_offset >> 8), (byte)_offset, (byte)(_length >> 8), (byte)_length });
        }
    }

    /// <summary>SetDataObject (0x02): write (0x00), metadata (0x01), count (0x02), erase & write (0x40).</summary>
    public sealed class SetDataObject : ChipCommand
    {
        public const byte Code = 0x02;
        public const byte ParamWrite = 0x00;
        public const byte ParamMetadata = 0x01;
        public const byte ParamCount = 0x02;
        public const byte ParamEraseWrite = 0x40;
        private readonly int _oid, _offset;
        private readonly byte _param;
        private readonly byte[] _data;

        public SetDataObject(int oid, int offset, byte[] data, byte param)
        {
            _oid = oid;
            _offset = offset;
            _data = data;
            _param = param;
        }

        public override byte[] GetBytes()
        {
            byte[] inData = new byte[4 + _data.Length];
            inData[0] = (byte)(_oid >> 8);
            inData[1] = (byte)_oid;
            inData[2] = (byte)(_offset >> 8);
            inData[3] = (byte)_offset;
            System.Array.Copy(_data, 0, inData, 4, _data.Length);
            return Apdu(Code, _param, inData);
        }
    }

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

        public override byte[] GetBytes()
        {
            return Apdu(Code, 0x00, new byte[] { (byte)(_length >> 8), (byte)_length });
        }
    }

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
