// NanoSurface: nanoFramework.Runtime.Events (NuGet nanoFramework.Runtime.Events 1.11.37).
// A dependency of System.Net and System.Net.Http; device code does not call it directly, so only
// the marker below is declared (nanoframework/nanoFramework.Runtime.Events, EventSink.cs).
namespace nanoFramework.Runtime.Events
{
    public class EventSink { }
}
