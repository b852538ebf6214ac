using System.Runtime.CompilerServices;

namespace SecureOta.Native
{
    /// <summary>
    /// SHA-256 and AES-128-CTR over whole chunks per call (issue 14), which nanoFramework 1.x does not offer:
    /// its System.Security.Cryptography 1.0.43 has only Aes (ECB, CBC), HMACSHA256 and HMACSHA512 (no
    /// SHA256 class, no incremental hash, no CTR). Implemented in C in native/secureota_crypto.c over
    /// ESP-IDF's mbedTLS, which uses the ESP32's SHA and AES accelerators, and registered with Partition in
    /// the custom nanoCLR (docs/device-build.md). Results are the status values below; every offset and
    /// count is checked again on the native side.
    /// </summary>
    public static class Crypto
    {
        /// <summary>native/secureota_crypto.h, so_crypto_status.</summary>
        public const int Ok = 0, BadArgument = 1, Failed = 2;

        /// <summary>A new SHA-256: its handle, or -1 when the native slots (2) are all in use.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeSha256Begin();

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeSha256Update(int handle, byte[] buffer, int offset, int count);

        /// <summary>Writes the 32-byte digest at output[offset] and frees the handle.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeSha256Finish(int handle, byte[] output, int offset);

        /// <summary>Frees the handle without a digest (the ESP32's SHA engine must not stay locked).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void NativeSha256Abort(int handle);

        /// <summary>XORs buffer[offset..offset+count) with the AES-128-CTR keystream of the message from byte position on.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeAes128Ctr(byte[] key, byte[] iv, int position, byte[] buffer, int offset, int count);
    }
}
