namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// IFX I2C network and transport layers (shared/reference/optiga-trust.md 1.3-1.4): one PCTR byte per
    /// packet (channel 0; chaining bits 000 none, 001 first, 010 intermediate, 100 last), APDUs longer
    /// than one frame split into full-size fragments, and responses reassembled in the allowed order.
    /// </summary>
    public sealed class TransportLayer
    {
        public const byte ChainNone = 0x00;
        public const byte ChainFirst = 0x01;
        public const byte ChainIntermediate = 0x02;
        public const byte ChainLast = 0x04;
        public const byte ChainError = 0x07;
        public const byte ChainMask = 0x07;
        public const byte ChannelMask = 0xF8;

        /// <summary>PCTR bit 3: the presentation layer (shielded connection) is in use (IFX I2C 2.03, 6).</summary>
        public const byte Presence = 0x08;

        private readonly DataLinkLayer _link;
        private readonly byte[] _packet = new byte[ChipTiming.FrameSize];

        public TransportLayer(DataLinkLayer link)
        {
            _link = link;
        }

        /// <summary>Once the shielded connection is up, every packet carries the presence bit, both ways.</summary>
        public bool PresenceOn { get; set; }

        /// <summary>Sends an APDU and returns the response APDU (into a new array), or null with *error set.</summary>
        public byte[] Exchange(byte[] apdu, int count, int timeoutUs, out int error)
        {
            int maxPayload = _link.MaxPacket - 1;
            int offset = 0;
            do
            {
                int n = count - offset < maxPayload ? count - offset : maxPayload;
                byte pctr;
                if (offset == 0 && n == count)
                {
                    pctr = ChainNone;
                }
                else if (offset == 0)
                {
                    pctr = ChainFirst;
                }
                else if (offset + n == count)
                {
                    pctr = ChainLast;
                }
                else
                {
                    pctr = ChainIntermediate;
                }

                _packet[0] = PresenceOn ? (byte)(pctr | Presence) : pctr;
                System.Array.Copy(apdu, offset, _packet, 1, n);
                error = _link.Send(_packet, n + 1);
                if (error != ChipErrors.Ok)
                {
                    return null;
                }

                offset += n;
            }
            while (offset < count);

            return ReceiveResponse(timeoutUs, maxPayload, out error);
        }

        private byte[] ReceiveResponse(int timeoutUs, int maxPayload, out int error)
        {
            byte[] response = new byte[ChipTiming.MaxApdu];
            int total = 0;
            byte previous = ChainNone;
            while (true)
            {
                int length = _link.Receive(_packet, timeoutUs);
                if (length < 0)
                {
                    error = -length;
                    return null;
                }

                byte expected = PresenceOn ? Presence : (byte)0;
                if (length < 1 || (_packet[0] & ChannelMask) != expected)
                {
                    error = ChipErrors.TransportChaining;
                    return null;
                }

                byte chain = (byte)(_packet[0] & ChainMask);
                bool startOk = (chain == ChainNone || chain == ChainFirst) && (previous == ChainNone || previous == ChainLast);
                bool continueOk = (chain == ChainIntermediate || chain == ChainLast) && (previous == ChainFirst || previous == ChainIntermediate);
                bool fullFragment = chain == ChainFirst || chain == ChainIntermediate ? length - 1 == maxPayload : true;
                if (chain == ChainError || (!startOk && !continueOk) || !fullFragment)
                {
                    error = ChipErrors.TransportChaining;
                    return null;
                }

                if (total + length - 1 > response.Length)
                {
                    error = ChipErrors.TransportTooLarge;
                    return null;
                }

                System.Array.Copy(_packet, 1, response, total, length - 1);
                total += length - 1;
                previous = chain;
                if (chain == ChainNone || chain == ChainLast)
                {
                    byte[] result = new byte[total];
                    System.Array.Copy(response, result, total);
                    error = ChipErrors.Ok;
                    return result;
                }
            }
        }
    }
}
