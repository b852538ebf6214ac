// NanoSurface: System.Device.Wifi (NuGet nanoFramework.System.Device.Wifi 1.5.144).
// Source: nanoframework/System.Device.Wifi, System.Device.Wifi/NetworkHelper/WifiNetworkHelper.cs
// (main@282a906). Namespace nanoFramework.Networking; NetworkHelperStatus is in System.Net.
namespace System.Device.Wifi
{
    public enum WifiReconnectionKind { Automatic = 0, Manual = 1 }
}

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        public static System.Threading.ManualResetEvent NetworkReady { get { throw null; } }
        public static NetworkHelperStatus Status { get { throw null; } }
        public static System.Exception HelperException { get { throw null; } }
        public static bool ConnectDhcp(string ssid, string password,
            System.Device.Wifi.WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic,
            bool requiresDateTime = false, int wifiAdapterId = 0,
            System.Threading.CancellationToken token = default(System.Threading.CancellationToken)) { throw null; }
        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0,
            System.Threading.CancellationToken token = default(System.Threading.CancellationToken)) { throw null; }
        public static void Disconnect() { }
    }
}
