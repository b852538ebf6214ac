namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// Protocol timings and bounds (shared/reference/optiga-trust.md 1.1-1.2; the OPTIGA host library's
    /// ifx_i2c_config.h values). Changing one changes the driver's worst-case wait accordingly.
    /// </summary>
    public static class ChipTiming
    {
        /// <summary>7-bit I2C address of OPTIGA Trust X/M.</summary>
        public const int DefaultAddress = 0x30;

        /// <summary>Retry interval while the chip NACKs its address (PL_POLLING_INVERVAL_US).</summary>
        public const int NackRetryIntervalUs = 1000;

        /// <summary>Retries before a NACK is fatal (PL_POLLING_MAX_CNT): about 200 ms.</summary>
        public const int NackRetryMax = 200;

        /// <summary>I2C_STATE poll interval while waiting for a response (PL_DATA_POLLING_INVERVAL_US).</summary>
        public const int StatePollIntervalUs = 5000;

        /// <summary>Wait after every successful transaction (GUARD_TIME of the products).</summary>
        public const int GuardTimeUs = 50;

        /// <summary>Wait for the ACK of a sent frame before retransmitting (TRANS_TIMEOUT).</summary>
        public const int TransTimeoutUs = 10000;

        /// <summary>Retransmissions before a resynchronisation (TRANS_REPEAT).</summary>
        public const int TransRepeat = 3;

        /// <summary>Longest a command may take to answer (Trust X host TL_MAX_EXIT_TIMEOUT: 6 s).</summary>
        public const int ExitTimeoutUs = 6000000;

        /// <summary>Requested frame size (DATA_REG_LEN; products accept up to 277).</summary>
        public const int FrameSize = 277;

        /// <summary>Frame overhead: FCTR, LEN[2], FCS[2] (DL_HEADER_SIZE).</summary>
        public const int FrameOverhead = 5;

        /// <summary>Wait after a soft reset before talking to the chip (STARTUP_TIME, 12 ms).</summary>
        public const int StartupTimeUs = 12000;

        /// <summary>Largest APDU the driver assembles (Trust X host MAX_APDU_BUFF_LEN).</summary>
        public const int MaxApdu = 1558;
    }
}
