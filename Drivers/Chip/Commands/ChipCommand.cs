namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>
    /// A chip command as a value object: it knows its exact APDU bytes, Cmd | Param | InLen[2, BE] |
    /// InData (shared/reference/optiga-trust.md 2.1), and how long the chip may take to answer it.
    /// Tested byte for byte without a bus.
    /// </summary>
    public abstract class ChipCommand
    {
        /// <summary>The APDU bytes.</summary>
        public abstract byte[] GetBytes();

        /// <summary>The response time-out for this command (microseconds).</summary>
        public virtual int TimeoutUs
        {
            get { return ChipTiming.ExitTimeoutUs; }
        }

        /// <summary>
        /// The shielded connection's protection for this command (PresentationLayer.Protect*): both ways
        /// by default (secrets, keys, decisions); commands whose input is public and only the answer must be
        /// authentic override it with response-only protection. Ignored without a shielded connection.
        /// </summary>
        public virtual byte Protection
        {
            get { return PresentationLayer.ProtectFull; }
        }

        /// <summary>Builds Cmd | Param | InLen | InData.</summary>
        protected static byte[] Apdu(byte cmd, byte param, byte[] inData)
        {
            int n = inData == null ? 0 : inData.Length;
            byte[] apdu = new byte[4 + n];
            apdu[0] = cmd;
            apdu[1] = param;
            apdu[2] = (byte)(n >> 8);
            apdu[3] = (byte)n;
            if (n > 0)
            {
                System.Array.Copy(inData, 0, apdu, 4, n);
            }

            return apdu;
        }
    }
}
