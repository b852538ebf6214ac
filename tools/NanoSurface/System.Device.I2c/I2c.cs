// NanoSurface: System.Device.I2c (assembly System.Device.I2c, lib/System.Device.I2c.dll of NuGet
// nanoFramework.System.Device.I2c 1.1.29, built on CoreLibrary 1.17.11).
// Source: nanoframework/System.Device.I2c at tag v1.1.29, System.Device.I2c/{I2cDevice,I2cConnectionSettings,
// I2cBusSpeed,I2cTransferResult,I2cTransferStatus}.cs (checked member by member). 1.x takes SpanByte.
// On ESP32 any NACK reports SlaveAddressNotAcknowledged with BytesTransferred = 0 and
// PartialTransfer is never reported (nf-interpreter targets/ESP32/_nanoCLR/System.Device.I2c).
namespace System.Device.I2c
{
    public enum I2cBusSpeed { StandardMode, FastMode, FastModePlus }

    public enum I2cTransferStatus { UnknownError, FullTransfer, ClockStretchTimeout, PartialTransfer, SlaveAddressNotAcknowledged }

    public struct I2cTransferResult
    {
        public uint BytesTransferred { get { throw null; } }
        public I2cTransferStatus Status { get { throw null; } }
    }

    public sealed class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress) { }
        public I2cConnectionSettings(int busId, int deviceAddress, I2cBusSpeed busSpeed) { }
        public int BusId { get { throw null; } }
        public int DeviceAddress { get { throw null; } }
        public I2cBusSpeed BusSpeed { get { throw null; } }
    }

    public class I2cDevice : IDisposable
    {
        public I2cDevice(I2cConnectionSettings settings) { }
        public static I2cDevice Create(I2cConnectionSettings settings) { throw null; }
        public I2cConnectionSettings ConnectionSettings { get { throw null; } }
        public byte ReadByte() { throw null; }
        public I2cTransferResult WriteByte(byte value) { throw null; }
        public I2cTransferResult Read(SpanByte buffer) { throw null; }
        public I2cTransferResult Write(SpanByte buffer) { throw null; }
        public I2cTransferResult WriteRead(SpanByte writeBuffer, SpanByte readBuffer) { throw null; }
        public void Dispose() { }
    }
}
