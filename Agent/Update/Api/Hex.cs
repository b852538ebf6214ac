namespace SecureOta.Agent.Update.Api
{
    /// <summary>Lower-case hex, the device API's encoding of nonces, signatures and digests.</summary>
    public static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string Digit(int value)
        {
            return Digits.Substring(value & 0xF, 1);
        }

        public static string Encode(byte[] data)
        {
            char[] c = new char[data.Length * 2];
            for (int i = 0; i < data.Length; i++)
            {
                c[2 * i] = Digits[data[i] >> 4];
                c[(2 * i) + 1] = Digits[data[i] & 0xF];
            }

            return new string(c);
        }

        /// <summary>Decodes exactly expectedLength bytes of hex (either case); null otherwise.</summary>
        public static byte[] Decode(string text, int expectedLength)
        {
            if (text == null || text.Length != expectedLength * 2)
            {
                return null;
            }

            byte[] b = new byte[expectedLength];
            for (int i = 0; i < expectedLength; i++)
            {
                int hi = DigitValue(text[2 * i]);
                int lo = DigitValue(text[(2 * i) + 1]);
                if (hi < 0 || lo < 0)
                {
                    return null;
                }

                b[i] = (byte)((hi << 4) | lo);
            }

            return b;
        }

        /// <summary>Decodes hex of an even length up to 2 * maxLength (either case); null otherwise.</summary>
        public static byte[] DecodeBounded(string text, int maxLength)
        {
            if (text == null || text.Length == 0 || text.Length % 2 != 0 || text.Length > maxLength * 2)
            {
                return null;
            }

            return Decode(text, text.Length / 2);
        }

        /// <summary>The value of one hex digit (either case), or -1.</summary>
        public static int DigitValue(char c)
        {
            return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        }
    }
}
