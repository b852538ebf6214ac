namespace SecureOta.Drivers.Flash
{
    /// <summary>
    /// One flash partition, addressed relative to its start (like MCUboot's flash_area). Geometry is
    /// queried, never assumed. On the device this is an interop adapter over esp_partition_* (custom
    /// firmware); on the host a strict emulator that only programs erased bytes.
    /// </summary>
    public interface IFlashArea
    {
        /// <summary>Size of the area in bytes.</summary>
        int Size { get; }

        /// <summary>Erase granularity in bytes (4096 on ESP32 SPI flash).</summary>
        int EraseBlockSize { get; }

        /// <summary>Write alignment in bytes (1 on ESP32 without flash encryption, 16 with it).</summary>
        int WriteAlignment { get; }

        /// <summary>The value of an erased byte (0xFF on NOR flash).</summary>
        byte ErasedValue { get; }

        /// <summary>Reads count bytes at offset into buffer[bufferOffset..].</summary>
        FlashStatus Read(int offset, byte[] buffer, int bufferOffset, int count);

        /// <summary>Programs count bytes from buffer[bufferOffset..] at offset; the target must be erased.</summary>
        FlashStatus Write(int offset, byte[] buffer, int bufferOffset, int count);

        /// <summary>Erases length bytes at offset; both must be multiples of EraseBlockSize.</summary>
        FlashStatus Erase(int offset, int length);
    }
}
