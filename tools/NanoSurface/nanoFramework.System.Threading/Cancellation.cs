// NanoSurface: nanoFramework.System.Threading (NuGet nanoFramework.System.Threading 1.1.52).
// Source: nanoframework/System.Threading, nanoFramework.System.Threading/nanoFramework.System.Threading.nfproj
// compiles only CancellationToken(Registration/Source) and OperationCanceledException (main). Task
// and async sources exist in that repository but are not compiled.
namespace System.Threading
{
    public struct CancellationToken
    {
        public static CancellationToken None { get { throw null; } }
        public bool IsCancellationRequested { get { throw null; } }
        public bool CanBeCanceled { get { throw null; } }
        public WaitHandle WaitHandle { get { throw null; } }
        public void ThrowIfCancellationRequested() { }
    }

    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource() { }
        public CancellationTokenSource(int millisecondsDelay) { }
        public CancellationTokenSource(TimeSpan delay) { }
        public bool IsCancellationRequested { get { throw null; } }
        public CancellationToken Token { get { throw null; } }
        public void Cancel() { }
        public void CancelAfter(int millisecondsDelay) { }
        public void Dispose() { }
    }
}

namespace System
{
    public class OperationCanceledException : SystemException
    {
        public OperationCanceledException() { }
        public OperationCanceledException(string message) { }
    }
}
