using SecureOta.Drivers.I2c;

namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// IFX I2C physical layer (shared/reference/optiga-trust.md 1.1): register access over the transport
    /// seam, retrying a NACKed address every 1 ms up to 200 times, a 50 µs guard time after every
    /// transaction, register reads as write-then-read (the chips have no repeated start), I2C_STATE
    /// polling for a response, frame-size negotiation and soft reset.
    /// </summary>
    public sealed class PhysicalLayer
    {
        // Register addresses (IFX I2C protocol Table 2-1).
        public const byte RegData = 0x80;
        public const byte RegDataRegLen = 0x81;
        public const byte RegI2cState = 0x82;
        public const byte RegMaxSclFrequ = 0x84;
        public const byte RegSoftReset = 0x88;
        public const byte RegI2cMode = 0x89;

        // I2C_MODE values (IFX I2C protocol Table 2-1; X-PL PL_REG_I2C_MODE_PERSISTANT, _SM_FM).
        public const byte ModePersistent = 0x80;
        public const byte ModeSmFm = 0x03;

        /// <summary>I2C_STATE byte 1: the presentation layer is supported (IFX I2C 2.03 Table 2-4; a Trust M sets it, a Trust X does not).</summary>
        public const byte StatePresentationLayer = 0x80;

        // I2C_STATE byte 0 flags (IFX I2C protocol Table 2-4).
        public const byte StateBusy = 0x80;
        public const byte StateResponseReady = 0x40;
        public const byte StateSoftResetSupported = 0x08;

        private readonly II2cTransport _bus;
        private readonly IChipClock _clock;
        private readonly byte[] _state = new byte[4];
        private byte[] _writeBuffer = new byte[ChipTiming.FrameSize + 1];

        public PhysicalLayer(II2cTransport bus, IChipClock clock)
        {
            _bus = bus;
            _clock = clock;
            FrameSize = ChipTiming.FrameSize;
        }

        /// <summary>The negotiated frame size (DATA_REG_LEN).</summary>
        public int FrameSize { get; private set; }

        public IChipClock Clock
        {
            get { return _clock; }
        }

        /// <summary>The bus frequency the driver runs the chip at (kHz): Fm, as the host library requests.</summary>
        public const int RequestedFrequencyKHz = 400;

        /// <summary>Whether the chip's I2C_STATE advertised a presentation layer at the last negotiation.</summary>
        public bool PresentationLayerSupported { get; private set; }

        /// <summary>
        /// The host library's start-up (X-PL / M-PL ifx_i2c_pl_negotiation_event_handler): reads I2C_STATE,
        /// reads MAX_SCL_FREQU; a chip left in Fm+ (above 400 kHz) is set back to Sm&amp;Fm with I2C_MODE
        /// 80 03 and read again; fails if the chip cannot run at the requested speed. Then the frame size:
        /// write DATA_REG_LEN, read it back, accept a smaller value.
        /// </summary>
        public int Negotiate(int frameSize)
        {
            int f = ReadRegister(RegI2cState, _state, 4);
            if (f != ChipErrors.Ok)
            {
                return f;
            }

            PresentationLayerSupported = (_state[1] & StatePresentationLayer) != 0;
            byte[] frequency = new byte[4];
            f = ReadRegister(RegMaxSclFrequ, frequency, 4);
            if (f != ChipErrors.Ok)
            {
                return f;
            }

            if (((frequency[2] << 8) | frequency[3]) > RequestedFrequencyKHz)
            {
                f = WriteRegister(RegI2cMode, new byte[] { ModePersistent, ModeSmFm }, 0, 2);
                if (f == ChipErrors.Ok)
                {
                    f = ReadRegister(RegMaxSclFrequ, frequency, 4);
                }

                if (f != ChipErrors.Ok)
                {
                    return f;
                }
            }

            if (((frequency[2] << 8) | frequency[3]) < RequestedFrequencyKHz)
            {
                return ChipErrors.PhysicalNegotiation;
            }

            byte[] value = new byte[] { (byte)(frameSize >> 8), (byte)frameSize };
            int r = WriteRegister(RegDataRegLen, value, 0, 2);
            if (r != ChipErrors.Ok)
            {
                return r;
            }

            byte[] back = new byte[2];
            r = ReadRegister(RegDataRegLen, back, 2);
            if (r != ChipErrors.Ok)
            {
                return r;
            }

            int granted = (back[0] << 8) | back[1];
            if (granted < 16 || granted > frameSize)
            {
                return ChipErrors.PhysicalNegotiation;
            }

            FrameSize = granted;
            return ChipErrors.Ok;
        }

        /// <summary>Soft reset (register 0x88 := 00 00), then the start-up time.</summary>
        public int SoftReset()
        {
            int r = ReadRegister(RegI2cState, _state, 4);
            if (r != ChipErrors.Ok)
            {
                return r;
            }

            if ((_state[0] & StateSoftResetSupported) == 0)
            {
                return ChipErrors.PhysicalNegotiation;
            }

            r = WriteRegister(RegSoftReset, new byte[] { 0, 0 }, 0, 2);
            _clock.Sleep(ChipTiming.StartupTimeUs);
            return r;
        }

        /// <summary>Sends one frame: a write of [0x80, frame].</summary>
        public int WriteFrame(byte[] frame, int count)
        {
            return WriteRegister(RegData, frame, 0, count);
        }

        /// <summary>
        /// Waits until I2C_STATE says a response is ready (polling every 5 ms), then reads it into buffer.
        /// Returns the frame length, or a negative error code.
        /// </summary>
        public int ReadFrame(byte[] buffer, int timeoutUs)
        {
            long deadline = _clock.NowMicroseconds + timeoutUs;
            while (true)
            {
                int r = ReadRegister(RegI2cState, _state, 4);
                if (r != ChipErrors.Ok)
                {
                    return -r;
                }

                int length = (_state[2] << 8) | _state[3];
                if ((_state[0] & StateResponseReady) != 0 && length > 0 && length <= FrameSize && length <= buffer.Length)
                {
                    r = ReadRegister(RegData, buffer, length);
                    return r == ChipErrors.Ok ? length : -r;
                }

                if (_clock.NowMicroseconds >= deadline)
                {
                    return -ChipErrors.PhysicalTimeout;
                }

                _clock.Sleep(ChipTiming.StatePollIntervalUs);
            }
        }

        /// <summary>Reads a register: write [reg], guard time, read count bytes.</summary>
        public int ReadRegister(byte register, byte[] buffer, int count)
        {
            _writeBuffer[0] = register;
            int r = Transfer(true, _writeBuffer, 1);
            if (r != ChipErrors.Ok)
            {
                return r;
            }

            return Transfer(false, buffer, count);
        }

        /// <summary>Writes [reg, data...] in one transaction.</summary>
        public int WriteRegister(byte register, byte[] data, int offset, int count)
        {
            if (count + 1 > _writeBuffer.Length)
            {
                _writeBuffer = new byte[count + 1];
            }

            _writeBuffer[0] = register;
            System.Array.Copy(data, offset, _writeBuffer, 1, count);
            return Transfer(true, _writeBuffer, count + 1);
        }

        // One transaction, retried while the address is NACKed (the chip is busy), guard time after.
        private int Transfer(bool write, byte[] buffer, int count)
        {
            for (int attempt = 0; attempt <= ChipTiming.NackRetryMax; attempt++)
            {
                I2cStatus status = write ? _bus.Write(buffer, 0, count) : _bus.Read(buffer, 0, count);
                if (status == I2cStatus.Ok)
                {
                    _clock.Sleep(ChipTiming.GuardTimeUs);
                    return ChipErrors.Ok;
                }

                if (status != I2cStatus.Nack)
                {
                    return ChipErrors.PhysicalBus;
                }

                _clock.Sleep(ChipTiming.NackRetryIntervalUs);
            }

            return ChipErrors.PhysicalNack;
        }
    }
}
