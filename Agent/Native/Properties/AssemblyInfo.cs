using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("SecureOta.Native")]
[assembly: AssemblyDescription("Interop assembly: raw flash partitions for staging and boot state (custom nanoCLR)")]
[assembly: AssemblyCompany("Secure OTA")]
[assembly: AssemblyProduct("Secure OTA for ESP32 / nanoFramework")]
[assembly: AssemblyCopyright("Copyright (c) Secure OTA developers")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]

// Bump whenever a native method's signature changes: the firmware's native side must match it.
[assembly: AssemblyNativeVersion("0.1.0.0")]
