using SecureOta.Drivers.Flash;
using SecureOta.Native;

namespace SecureOta.Agent.Esp32
{
    /// <summary>
    /// A flash partition of the board as our IFlashArea, through the SecureOta.Native interop assembly
    /// (custom nanoCLR, docs/device-build.md). ESP32 SPI flash: 4 KiB erase sectors, byte-programmable
    /// (without flash encryption), erased bytes read 0xFF.
    /// </summary>
    public sealed class PartitionFlashArea : IFlashArea
    {
        private readonly string _label;
        private readonly int _size;

        private PartitionFlashArea(string label, int size)
        {
            _label = label;
            _size = size;
        }

        /// <summary>The partition with this label, or null when the firmware has no such partition.</summary>
        public static PartitionFlashArea Open(string label)
        {
            int size = Partition.NativeSize(label);
            return size <= 0 ? null : new PartitionFlashArea(label, size);
        }

        public int Size
        {
            get { return _size; }
        }

        public int EraseBlockSize
        {
            get { return 4096; }
        }

        public int WriteAlignment
        {
            get { return 1; }
        }

        public byte ErasedValue
        {
            get { return 0xFF; }
        }

        public FlashStatus Read(int offset, byte[] buffer, int bufferOffset, int count)
        {
            return (FlashStatus)Partition.NativeRead(_label, offset, buffer, bufferOffset, count);
        }

        public FlashStatus Write(int offset, byte[] buffer, int bufferOffset, int count)
        {
            return (FlashStatus)Partition.NativeWrite(_label, offset, buffer, bufferOffset, count);
        }

        public FlashStatus Erase(int offset, int length)
        {
            return (FlashStatus)Partition.NativeErase(_label, offset, length);
        }
    }
}
