using System.Reflection;

namespace SecureOta.NanoGate;

/// <summary>
/// Where the real nanoFramework mscorlib.dll is: lib/mscorlib.dll of the nanoFramework.CoreLibrary
/// package that NanoGate.csproj restores (its folder is baked into the gate at build time as the
/// CoreLibraryPackage assembly metadata). The gate compiles device code against this file, never
/// against declarations of ours.
/// </summary>
public static class CoreLibrary
{
    public const string AssemblyName = "mscorlib";
    public const string PackageId = "nanoFramework.CoreLibrary";
    public const string LibFile = "lib/mscorlib.dll";

    /// <summary>The restored mscorlib.dll, or null when the gate was built without the package.</summary>
    public static string? RestoredPath()
    {
        var folder = typeof(CoreLibrary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CoreLibraryPackage")?.Value;
        if (string.IsNullOrEmpty(folder)) return null;
        var file = Path.Combine(folder, LibFile);
        return File.Exists(file) ? file : null;
    }
}
