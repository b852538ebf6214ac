namespace SecureOta.Drivers.Chip.Commands
{
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
}
