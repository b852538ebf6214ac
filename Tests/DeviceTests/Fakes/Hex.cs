using System;

namespace SecureOta.DeviceTests.Fakes
{
    /// <summary>Hex helpers for test vectors (nanoFramework has no Convert.FromHexString).</summary>
    public static class Hex
    {
        public static byte[] Decode(string hex)
        {
            if (hex == null || hex.Length % 2 != 0)
            {
                throw new ArgumentException("hex string of even length expected");
            }

            byte[] result = new byte[hex.Length / 2];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[(2 * i) + 1]));
            }

            return result;
        }

        public static string Encode(byte[] data)
        {
            const string Digits = "0123456789abcdef";
            char[] chars = new char[data.Length * 2];
            for (int i = 0; i < data.Length; i++)
            {
                chars[2 * i] = Digits[data[i] >> 4];
                chars[(2 * i) + 1] = Digits[data[i] & 0xF];
            }

            return new string(chars);
        }

        private static int Nibble(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            throw new ArgumentException("not a hex digit");
        }
    }
}
