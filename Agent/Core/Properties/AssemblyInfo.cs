using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("SecureOta.Core")]
[assembly: AssemblyDescription("Device-side primitives shared by the update agent and the vendor tools")]
[assembly: AssemblyCompany("Secure OTA")]
[assembly: AssemblyProduct("Secure OTA for ESP32 / nanoFramework")]
[assembly: AssemblyCopyright("Copyright (c) Secure OTA developers")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
