using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("SecureOta.Drivers")]
[assembly: AssemblyDescription("Device drivers: security-chip transport, flash areas, ESP32 adapters")]
[assembly: AssemblyCompany("Secure OTA")]
[assembly: AssemblyProduct("Secure OTA for ESP32 / nanoFramework")]
[assembly: AssemblyCopyright("Copyright (c) Secure OTA developers")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
