using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("SecureOta.Agent.Update")]
[assembly: AssemblyDescription("The update engine: verify on the chip, stage, hand off, confirm")]
[assembly: AssemblyCompany("Secure OTA")]
[assembly: AssemblyProduct("Secure OTA for ESP32 / nanoFramework")]
[assembly: AssemblyCopyright("Copyright (c) Secure OTA developers")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
