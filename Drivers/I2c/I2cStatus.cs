namespace SecureOta.Drivers.I2c
{
    /// <summary>
    /// Outcome of one I2C transaction at our transport seam. Mirrors System.Device.I2c.I2cTransferStatus
    /// but is ours, so that the driver above never touches I2cDevice (which cannot be faked: its methods
    /// are non-virtual and its constructor calls native code).
    /// </summary>
    public enum I2cStatus
    {
        /// <summary>Every byte was transferred.</summary>
        Ok = 0,

        /// <summary>
        /// The address was not acknowledged. A security chip NACKs while it is busy, so the layer above
        /// retries this after a delay, up to a bound (ESP32 reports every NACK this way).
        /// </summary>
        Nack = 1,

        /// <summary>The slave held the clock longer than the bus timeout.</summary>
        ClockStretchTimeout = 2,

        /// <summary>Fewer bytes than requested were transferred (never reported by ESP32).</summary>
        PartialTransfer = 3,

        /// <summary>Any other bus failure.</summary>
        BusError = 4,
    }
}
