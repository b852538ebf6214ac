namespace SecureOta.NanoGate.Tests;

/// <summary>Finds the repository root (the folder with Agent.sln) from the test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Surface => Path.Combine(Root, "tools", "NanoSurface");

    /// <summary>The real nanoFramework mscorlib.dll the gate was built with (restored from NuGet).</summary>
    public static string CoreLibrary => SecureOta.NanoGate.CoreLibrary.RestoredPath()
        ?? throw new InvalidOperationException("nanoFramework.CoreLibrary is not restored: run make restore");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln"))) return dir.FullName;
        throw new InvalidOperationException("Agent.sln not found above " + AppContext.BaseDirectory);
    }
}
