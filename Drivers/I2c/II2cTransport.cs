namespace SecureOta.Drivers.I2c
{
    /// <summary>
    /// The narrow seam beneath the security-chip driver: one I2C transaction to or from the chip's
    /// address. On the device it is Esp32.I2cDeviceTransport over System.Device.I2c; on the host it is
    /// the chip emulator. Implementations never throw for bus conditions; they return the status.
    /// </summary>
    public interface II2cTransport
    {
        /// <summary>Writes count bytes of buffer, from offset, in one transaction.</summary>
        I2cStatus Write(byte[] buffer, int offset, int count);

        /// <summary>Reads count bytes into buffer, from offset, in one transaction.</summary>
        I2cStatus Read(byte[] buffer, int offset, int count);
    }
}
