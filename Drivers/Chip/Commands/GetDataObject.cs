namespace SecureOta.Drivers.Chip.Commands
{
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

        /// <summary>Public input: only the answer needs protection (its integrity, and for random bytes their secrecy).</summary>
        public override byte Protection
        {
            get { return PresentationLayer.ProtectResponse; }
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
}
