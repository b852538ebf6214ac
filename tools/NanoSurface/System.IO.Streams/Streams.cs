// NanoSurface: System.IO.Streams (NuGet nanoFramework.System.IO.Streams 1.1.96).
// Source: nanoframework/System.IO.Streams, System.IO.Streams/{Stream,MemoryStream,SeekOrigin}.cs (main@ff384f9).
namespace System.IO
{
    public enum SeekOrigin { Begin = 0, Current = 1, End = 2 }

    public abstract class Stream : IDisposable
    {
        public abstract bool CanRead { get; }
        public abstract bool CanSeek { get; }
        public abstract bool CanWrite { get; }
        public abstract long Length { get; }
        public abstract long Position { get; set; }
        public virtual bool CanTimeout { get { throw null; } }
        public virtual int ReadTimeout { get { throw null; } set { } }
        public virtual int WriteTimeout { get { throw null; } set { } }
        public abstract void Flush();
        public abstract long Seek(long offset, SeekOrigin origin);
        public abstract void SetLength(long value);
        public abstract int Read(byte[] buffer, int offset, int count);
        public abstract void Write(byte[] buffer, int offset, int count);
        public virtual int ReadByte() { throw null; }
        public virtual void WriteByte(byte value) { }
        public virtual void Close() { }
        public void CopyTo(Stream destination) { }
        public void Dispose() { }
        protected virtual void Dispose(bool disposing) { }
    }

    public class MemoryStream : Stream
    {
        public MemoryStream() { }
        public MemoryStream(byte[] buffer) { }
        public MemoryStream(byte[] buffer, bool isWritable) { }
        public override bool CanRead { get { throw null; } }
        public override bool CanSeek { get { throw null; } }
        public override bool CanWrite { get { throw null; } }
        public override long Length { get { throw null; } }
        public override long Position { get { throw null; } set { } }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) { throw null; }
        public override void SetLength(long value) { }
        public override int Read(byte[] buffer, int offset, int count) { throw null; }
        public override void Write(byte[] buffer, int offset, int count) { }
        public virtual byte[] GetBuffer() { throw null; }
        public virtual byte[] ToArray() { throw null; }
        public virtual void WriteTo(Stream stream) { }
    }
}
