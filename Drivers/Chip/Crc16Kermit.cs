namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// The IFX I2C frame check sequence: CRC-16/KERMIT (polynomial 0x1021 reflected = 0x8408, initial
    /// value 0, no final XOR), sent high byte first (shared/reference/optiga-trust.md, 1.2 "FCS / CRC":
    /// the host code and every datasheet trace put the high byte first, the spec prose says otherwise).
    /// </summary>
    public static class Crc16Kermit
    {
        public static ushort Compute(byte[] data, int offset, int count)
        {
            int crc = 0;
            for (int i = offset; i < offset + count; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x8408 : crc >> 1;
                }
            }

            return (ushort)crc;
        }
    }
}
