using System.Runtime.CompilerServices;

namespace SecureOta.Native
{
    /// <summary>
    /// Raw access to an ESP32 flash partition by label ("staging", "bootstate"), which stock
    /// nanoFramework does not offer. Implemented in C in native/secureota_partition.c on top of
    /// ESP-IDF's esp_partition API and registered in a custom nanoCLR build (docs/device-build.md).
    /// Results are FlashStatus values (0 = ok). Offsets and lengths are checked again on the native side.
    /// </summary>
    public static class Partition
    {
        /// <summary>Size in bytes of the partition with this label, or -1 if there is none.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeSize(string label);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeRead(string label, int offset, byte[] buffer, int bufferOffset, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeWrite(string label, int offset, byte[] buffer, int bufferOffset, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeErase(string label, int offset, int length);
    }
}
