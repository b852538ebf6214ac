namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// Result codes, namespaced by layer like the OPTIGA host library's (0x01xx physical, 0x02xx data
    /// link, 0x03xx transport, 0x05xx command, 0x80xx device = 0x8000 | the chip's last-error code).
    /// </summary>
    public static class ChipErrors
    {
        public const int Ok = 0;

        /// <summary>The address stayed NACKed (chip busy or absent) for the whole polling bound.</summary>
        public const int PhysicalNack = 0x0101;

        /// <summary>A bus error other than NACK (clock stretch timeout, partial transfer).</summary>
        public const int PhysicalBus = 0x0102;

        /// <summary>No response became ready within the layer's time-out.</summary>
        public const int PhysicalTimeout = 0x0103;

        /// <summary>The chip's registers did not negotiate the frame size or frequency asked for.</summary>
        public const int PhysicalNegotiation = 0x0104;

        /// <summary>Retransmissions and a resynchronisation did not get a frame through.</summary>
        public const int DataLinkRetriesExhausted = 0x0201;

        /// <summary>The frame to send is larger than the negotiated frame size.</summary>
        public const int DataLinkFrameTooLarge = 0x0202;

        /// <summary>Fragments arrived out of the chaining order, or the chip reported a chaining error.</summary>
        public const int TransportChaining = 0x0301;

        /// <summary>The APDU or response is larger than the buffers allow.</summary>
        public const int TransportTooLarge = 0x0302;

        /// <summary>The shielded-connection handshake failed (wrong platform binding secret, or a modified message).</summary>
        public const int PresentationHandshake = 0x0401;

        /// <summary>A protected record failed its integrity check or sequence number (an attacker on the bus).</summary>
        public const int PresentationIntegrity = 0x0402;

        /// <summary>A response that is not a well-formed APDU response.</summary>
        public const int CommandMalformedResponse = 0x0501;

        /// <summary>An argument the driver refuses before sending anything.</summary>
        public const int CommandBadArgument = 0x0502;

        /// <summary>0x8000 | last-error code from 0xF1C2 (e.g. 0x802C signature verification failure).</summary>
        public const int DeviceBase = 0x8000;

        /// <summary>Chip last-error codes (shared/reference/optiga-trust.md, 2.1).</summary>
        public const int DeviceInvalidOid = 0x01;
        public const int DeviceAccessConditions = 0x07;
        public const int DeviceBoundaryExceeded = 0x08;
        public const int DeviceSignatureFailure = 0x2C;
    }
}
