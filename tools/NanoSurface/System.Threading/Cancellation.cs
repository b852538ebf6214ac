// NanoSurface: System.Threading (assembly System.Threading, lib/System.Threading.dll of NuGet
// nanoFramework.System.Threading 1.1.52, built on CoreLibrary 1.17.11).
// Source: nanoframework/System.Threading at tag v1.1.52, nanoFramework.System.Threading/Threading/
// {CancellationToken,CancellationTokenRegistration,CancellationTokenSource,OperationCanceledException}.cs:
// the .nfproj compiles only these four types (Task and async sources in the repository are not compiled).
namespace System.Threading
{
    public struct CancellationToken
    {
        public CancellationToken(bool canceled) { throw null; }
        public static CancellationToken None { get { throw null; } }
        public bool IsCancellationRequested { get { throw null; } }
        public bool CanBeCanceled { get { throw null; } }
        public WaitHandle WaitHandle { get { throw null; } }
        public CancellationTokenRegistration Register(Action callback) { throw null; }
        public bool Equals(CancellationToken other) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public void ThrowIfCancellationRequested() { }
    }

    public struct CancellationTokenRegistration : IDisposable
    {
        public void Dispose() { }
        public static bool operator ==(CancellationTokenRegistration left, CancellationTokenRegistration right) { throw null; }
        public static bool operator !=(CancellationTokenRegistration left, CancellationTokenRegistration right) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public bool Equals(CancellationTokenRegistration other) { throw null; }
        public override int GetHashCode() { throw null; }
    }

    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource() { }
        public CancellationTokenSource(int millisecondsDelay) { }
        public CancellationTokenSource(TimeSpan delay) { }
        public bool IsCancellationRequested { get { throw null; } }
        public CancellationToken Token { get { throw null; } }
        public void Cancel() { }
        public void Cancel(bool throwOnFirstException) { }
        public void CancelAfter(TimeSpan delay) { }
        public void CancelAfter(int millisecondsDelay) { }
        public void Dispose() { }
        protected virtual void Dispose(bool disposing) { }
    }

    // Threading/OperationCanceledException.cs: in System.Threading (not System), derives from SystemException.
    [Serializable]
    public class OperationCanceledException : SystemException
    {
        public OperationCanceledException() { }
        public OperationCanceledException(string message) { }
        public OperationCanceledException(string message, Exception innerException) { }
    }
}
