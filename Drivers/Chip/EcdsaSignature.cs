namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// ECDSA P-256 signatures between COSE's raw r || s (32 + 32 bytes) and the chip's form: two DER
    /// INTEGERs `02 len r 02 len s` without a SEQUENCE header, minimal length, 0x00 prepended when
    /// the high bit is set (optiga-trust.md 2.3, CalcSign/VerifySign).
    /// </summary>
    public static class EcdsaSignature
    {
        public static byte[] ToChip(byte[] raw)
        {
            if (raw == null || raw.Length != 64)
            {
                throw new System.ArgumentException("r || s must be 64 bytes");
            }

            byte[] r = Integer(raw, 0);
            byte[] s = Integer(raw, 32);
            byte[] result = new byte[r.Length + s.Length];
            System.Array.Copy(r, result, r.Length);
            System.Array.Copy(s, 0, result, r.Length, s.Length);
            return result;
        }

        /// <summary>Returns r || s, or null if the bytes are not two INTEGERs of at most 32 significant bytes.</summary>
        public static byte[] FromChip(byte[] der)
        {
            byte[] raw = new byte[64];
            int offset = 0;
            for (int k = 0; k < 2; k++)
            {
                if (der == null || offset + 2 > der.Length || der[offset] != 0x02)
                {
                    return null;
                }

                int len = der[offset + 1];
                if (len < 1 || offset + 2 + len > der.Length)
                {
                    return null;
                }

                int start = offset + 2;
                while (len > 1 && der[start] == 0)
                {
                    start++;
                    len--;
                }

                if (len > 32)
                {
                    return null;
                }

                System.Array.Copy(der, start, raw, (32 * k) + 32 - len, len);
                offset = start + len;
            }

            return offset == der.Length ? raw : null;
        }

        private static byte[] Integer(byte[] raw, int offset)
        {
            int start = offset;
            while (start < offset + 31 && raw[start] == 0)
            {
                start++;
            }

            int len = offset + 32 - start;
            bool pad = (raw[start] & 0x80) != 0;
            byte[] result = new byte[2 + len + (pad ? 1 : 0)];
            result[0] = 0x02;
            result[1] = (byte)(len + (pad ? 1 : 0));
            System.Array.Copy(raw, start, result, pad ? 3 : 2, len);
            return result;
        }
    }
}
