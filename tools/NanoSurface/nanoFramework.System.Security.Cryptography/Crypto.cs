// NanoSurface: nanoFramework.System.Security.Cryptography (assembly nanoFramework.System.Security.Cryptography,
// lib/nanoFramework.System.Security.Cryptography.dll of NuGet nanoFramework.System.Security.Cryptography
// 1.0.43, the first release built on CoreLibrary 1.17.11; 1.0.25 was built on 1.15.5 and does not link
// on 1.17 firmware).
// Source: nanoframework/System.Security.Cryptography at tag v1.0.43, System.Security.Cryptography/
// {CipherMode,Aes,HMACSHA256,HMACSHA512}.cs: only Aes (ECB/CBC), HMACSHA256 and HMACSHA512. No SHA256
// class, no CTR/GCM, no ECDSA: the device hashes in managed code and leaves signatures to the security
// chip. AES input must be a multiple of 16 bytes (README.md).
namespace System.Security.Cryptography
{
    public enum CipherMode { CBC = 1, ECB = 2 }

    public class Aes
    {
        public Aes(CipherMode mode) { }
        public CipherMode Mode { get { throw null; } set { } }
        public byte[] Key { get { throw null; } set { } }
        public byte[] IV { get { throw null; } set { } }
        public void GenerateIV() { }
        public byte[] Encrypt(byte[] data) { throw null; }
        public byte[] Decrypt(byte[] data) { throw null; }
    }

    public class HMACSHA256 : IDisposable
    {
        public HMACSHA256() { }
        public HMACSHA256(byte[] key) { }
        public byte[] Hash { get { throw null; } }
        public byte[] Key { get { throw null; } set { } }
        public byte[] ComputeHash(byte[] buffer) { throw null; }
        public static byte[] HashData(byte[] key, byte[] source) { throw null; }
        public void Dispose() { }
        protected void Dispose(bool disposing) { }
    }

    public class HMACSHA512 : IDisposable
    {
        public HMACSHA512() { }
        public HMACSHA512(byte[] key) { }
        public byte[] Hash { get { throw null; } }
        public byte[] Key { get { throw null; } set { } }
        public byte[] ComputeHash(byte[] buffer) { throw null; }
        public static byte[] HashData(byte[] key, byte[] source) { throw null; }
        public void Dispose() { }
        protected void Dispose(bool disposing) { }
    }
}
