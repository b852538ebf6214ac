using System;
using System.Device.I2c;
using SecureOta.Drivers.I2c;

namespace SecureOta.Drivers.Esp32
{
    /// <summary>
    /// Device-only adapter of our transport seam to System.Device.I2c. This folder is the only place
    /// where SpanByte appears (the nano gate enforces it) and it is not part of the host twin.
    /// Every I2cTransferStatus is mapped; on ESP32 a NACK arrives as SlaveAddressNotAcknowledged with
    /// BytesTransferred = 0 and means "chip busy, retry" to the layer above.
    /// </summary>
    public sealed class I2cDeviceTransport : II2cTransport, IDisposable
    {
        private readonly I2cDevice _device;

        /// <param name="busId">ESP32 bus id: 1 or 2 (ESP-IDF port = busId - 1).</param>
        /// <param name="address">7-bit slave address (0x30 for OPTIGA Trust X).</param>
        /// <param name="busSpeed">Bus speed; the two-argument settings constructor would pick FastMode.</param>
        public I2cDeviceTransport(int busId, int address, I2cBusSpeed busSpeed)
        {
            _device = I2cDevice.Create(new I2cConnectionSettings(busId, address, busSpeed));
        }

        public I2cStatus Write(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count <= 0 || count > buffer.Length - offset)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            return Map(_device.Write(new SpanByte(buffer, offset, count)), count);
        }

        public I2cStatus Read(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count <= 0 || count > buffer.Length - offset)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            return Map(_device.Read(new SpanByte(buffer, offset, count)), count);
        }

        public void Dispose()
        {
            _device.Dispose();
        }

        private static I2cStatus Map(I2cTransferResult result, int expected)
        {
            switch (result.Status)
            {
                case I2cTransferStatus.FullTransfer:
                    return result.BytesTransferred == (uint)expected ? I2cStatus.Ok : I2cStatus.PartialTransfer;
                case I2cTransferStatus.SlaveAddressNotAcknowledged:
                    return I2cStatus.Nack;
                case I2cTransferStatus.ClockStretchTimeout:
                    return I2cStatus.ClockStretchTimeout;
                case I2cTransferStatus.PartialTransfer:
                    return I2cStatus.PartialTransfer;
                default:
                    return I2cStatus.BusError;
            }
        }
    }
}
