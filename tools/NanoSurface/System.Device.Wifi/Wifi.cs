// NanoSurface: System.Device.Wifi (assembly System.Device.Wifi, lib/System.Device.Wifi.dll of NuGet
// nanoFramework.System.Device.Wifi 1.5.147, built on CoreLibrary 1.17.11).
// Source: nanoframework/System.Device.Wifi at tag v1.5.147, System.Device.Wifi/WifiReconnectionKind.cs and
// NetworkHelper/WifiNetworkHelper.cs (subset: the DHCP connect path). WifiNetworkHelper is in namespace
// nanoFramework.Networking; NetworkHelperStatus comes from System.Net.
namespace System.Device.Wifi
{
    public enum WifiReconnectionKind { Automatic, Manual }
}

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        public static System.Threading.ManualResetEvent NetworkReady { get { throw null; } }
        public static NetworkHelperStatus Status { get { throw null; } }
        public static System.Exception HelperException { get { throw null; } }
        public static void SetupNetworkHelper(bool requiresDateTime = false) { }
        public static void SetupNetworkHelper(string ssid, string password,
            System.Device.Wifi.WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic,
            bool requiresDateTime = false) { }
        public static void Disconnect() { }
        public static bool ConnectDhcp(string ssid, string password,
            System.Device.Wifi.WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic,
            bool requiresDateTime = false, int wifiAdapterId = 0,
            System.Threading.CancellationToken token = default(System.Threading.CancellationToken)) { throw null; }
        public static bool ScanAndConnectDhcp(string ssid, string password,
            System.Device.Wifi.WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic,
            bool requiresDateTime = false, int WifiAdapter = 0,
            System.Threading.CancellationToken token = default(System.Threading.CancellationToken)) { throw null; }
        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0,
            System.Threading.CancellationToken token = default(System.Threading.CancellationToken)) { throw null; }
        public static void Reset() { }
    }
}
