using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("SecureOta.Agent")]
[assembly: AssemblyDescription("The over-the-air update agent")]
[assembly: AssemblyCompany("Secure OTA")]
[assembly: AssemblyProduct("Secure OTA for ESP32 / nanoFramework")]
[assembly: AssemblyCopyright("Copyright (c) Secure OTA developers")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
