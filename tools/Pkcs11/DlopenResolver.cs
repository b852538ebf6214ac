using System.Runtime.InteropServices;
using Net.Pkcs11Interop.HighLevelAPI;

namespace SecureOta.Pkcs11;

/// <summary>
/// Pkcs11Interop loads a module with dlopen from [DllImport("libdl")]; glibc 2.34 moved dlopen into
/// libc.so.6 and no longer ships libdl.so (only libdl.so.2, without libc6-dev). The maintainer's advice
/// (Pkcs11Interop issue #239) is to resolve "libdl" in the application: here, to the first of libc.so.6
/// and libdl.so.2 that exports dlopen.
/// </summary>
internal static class DlopenResolver
{
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1 || OperatingSystem.IsWindows()) return;
        NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, assembly, path) =>
        {
            if (name != "libdl") return IntPtr.Zero;
            foreach (var candidate in new[] { "libc.so.6", "libdl.so.2", "libdl.so" })
            {
                if (NativeLibrary.TryLoad(candidate, out var handle) && NativeLibrary.TryGetExport(handle, "dlopen", out _)) return handle;
            }
            return IntPtr.Zero;
        });
    }
}
