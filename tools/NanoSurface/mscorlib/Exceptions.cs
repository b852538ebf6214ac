// NanoSurface: mscorlib exceptions. Source: nanoframework/CoreLibrary System/*Exception.cs (main).
// ArgumentNullException.ThrowIfNull exists in 1.x (System/ArgumentNullException.cs).
namespace System
{
    public class Exception
    {
        public Exception() { }
        public Exception(string message) { }
        public Exception(string message, Exception innerException) { }
        public virtual string Message { get { throw null; } }
        public Exception InnerException { get { throw null; } }
        public virtual string StackTrace { get { throw null; } }
        public override string ToString() { throw null; }
    }

    public class SystemException : Exception
    {
        public SystemException() { }
        public SystemException(string message) { }
        public SystemException(string message, Exception innerException) { }
    }

    public class ArgumentException : SystemException
    {
        public ArgumentException() { }
        public ArgumentException(string message) { }
        public ArgumentException(string message, Exception innerException) { }
        public ArgumentException(string message, string paramName) { }
        public virtual string ParamName { get { throw null; } }
    }

    public class ArgumentNullException : ArgumentException
    {
        public ArgumentNullException() { }
        public ArgumentNullException(string paramName) { }
        public ArgumentNullException(string paramName, string message) { }
        public static void ThrowIfNull(object argument, [System.Runtime.CompilerServices.CallerArgumentExpression("argument")] string paramName = null) { }
    }

    public class ArgumentOutOfRangeException : ArgumentException
    {
        public ArgumentOutOfRangeException() { }
        public ArgumentOutOfRangeException(string paramName) { }
        public ArgumentOutOfRangeException(string paramName, string message) { }
    }

    public class IndexOutOfRangeException : SystemException
    {
        public IndexOutOfRangeException() { }
        public IndexOutOfRangeException(string message) { }
    }

    public class InvalidOperationException : SystemException
    {
        public InvalidOperationException() { }
        public InvalidOperationException(string message) { }
        public InvalidOperationException(string message, Exception innerException) { }
    }

    public class NotSupportedException : SystemException
    {
        public NotSupportedException() { }
        public NotSupportedException(string message) { }
    }

    public class NotImplementedException : SystemException
    {
        public NotImplementedException() { }
        public NotImplementedException(string message) { }
    }

    public class NullReferenceException : SystemException
    {
        public NullReferenceException() { }
        public NullReferenceException(string message) { }
    }

    public class ObjectDisposedException : InvalidOperationException
    {
        public ObjectDisposedException(string objectName) { }
        public ObjectDisposedException(string objectName, string message) { }
    }

    public class OutOfMemoryException : SystemException
    {
        public OutOfMemoryException() { }
        public OutOfMemoryException(string message) { }
    }

    public class FormatException : SystemException
    {
        public FormatException() { }
        public FormatException(string message) { }
    }

    public class InvalidCastException : SystemException
    {
        public InvalidCastException() { }
        public InvalidCastException(string message) { }
    }

}

namespace System.IO
{
    // System/IO/IOException.cs
    public class IOException : SystemException
    {
        public IOException() { }
        public IOException(string message) { }
        public IOException(string message, Exception innerException) { }
    }
}
