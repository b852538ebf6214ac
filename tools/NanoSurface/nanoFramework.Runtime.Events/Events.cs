// NanoSurface: nanoFramework.Runtime.Events (assembly nanoFramework.Runtime.Events,
// lib/nanoFramework.Runtime.Events.dll of NuGet nanoFramework.Runtime.Events 1.11.37, built on CoreLibrary 1.17.11).
// Source: nanoframework/nanoFramework.Runtime.Events at tag v1.11.37, nanoFramework.Runtime.Events/EventSink.cs.
// A dependency of System.Net, System.Net.Http and System.Device.Wifi; device code does not call it, so
// only the type is declared (its base class NativeEventDispatcher is left out). EventSink has no public
// constructor (its constructor is private).
namespace nanoFramework.Runtime.Events
{
    public class EventSink
    {
        private EventSink() { }
    }
}
