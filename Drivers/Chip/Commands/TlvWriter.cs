namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>Tag[1] | Length[2, BE] | Value, the TLV convention inside InData (optiga-trust.md 2.2).</summary>
    public sealed class TlvWriter
    {
        private byte[] _buffer = new byte[64];
        private int _length;

        public int Length
        {
            get { return _length; }
        }

        public TlvWriter Add(byte tag, byte[] value)
        {
            int n = value == null ? 0 : value.Length;
            Ensure(3 + n);
            _buffer[_length++] = tag;
            _buffer[_length++] = (byte)(n >> 8);
            _buffer[_length++] = (byte)n;
            if (n > 0)
            {
                System.Array.Copy(value, 0, _buffer, _length, n);
                _length += n;
            }

            return this;
        }

        public TlvWriter AddUInt16(byte tag, int value)
        {
            return Add(tag, new byte[] { (byte)(value >> 8), (byte)value });
        }

        public TlvWriter AddByte(byte tag, byte value)
        {
            return Add(tag, new byte[] { value });
        }

        public byte[] ToArray()
        {
            byte[] result = new byte[_length];
            System.Array.Copy(_buffer, result, _length);
            return result;
        }

        private void Ensure(int extra)
        {
            if (_length + extra <= _buffer.Length)
            {
                return;
            }

            byte[] grown = new byte[(_length + extra) * 2];
            System.Array.Copy(_buffer, grown, _length);
            _buffer = grown;
        }
    }
}
