namespace SecureOta.Core.Suit
{
    /// <summary>RFC 4122 UUID text form of 16 bytes (for messages).</summary>
    public static class Uuid
    {
        public static string Format(byte[] uuid)
        {
            if (uuid == null)
            {
                return "(none)";
            }

            const string Digits = "0123456789abcdef";
            char[] chars = new char[(uuid.Length * 2) + 4];
            int n = 0;
            for (int i = 0; i < uuid.Length; i++)
            {
                if (uuid.Length == 16 && (i == 4 || i == 6 || i == 8 || i == 10))
                {
                    chars[n++] = '-';
                }

                chars[n++] = Digits[uuid[i] >> 4];
                chars[n++] = Digits[uuid[i] & 0xF];
            }

            return new string(chars, 0, n);
        }
    }
}
