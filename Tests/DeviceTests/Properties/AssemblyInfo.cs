using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("Device tests of the Secure OTA agent and drivers (board and host)")]
[assembly: AssemblyCompany("Secure OTA")]
[assembly: AssemblyProduct("Secure OTA for ESP32 / nanoFramework")]
[assembly: AssemblyCopyright("Copyright (c) Secure OTA developers")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
