using System.Runtime.InteropServices;

namespace SecureOta.UpdateServer.Artifacts;

/// <summary>
/// fsync(2) of a directory, so that a rename in it survives a power loss (POSIX: the rename is durable only
/// once the directory is synced; .NET has no API for it, FileStream refuses directories). Linux only, where
/// the server runs; elsewhere (or without a loadable libc) a no-op that says so by returning false.
/// </summary>
public static class DirectorySync
{
    // O_RDONLY is 0 on every Linux architecture; O_DIRECTORY is not passed because its value differs between
    // them (asm-generic/fcntl.h 0200000, arm64 040000, where 0200000 means O_DIRECT); open(2) opens a
    // directory read-only without it.
    private const int ReadOnly = 0;

    /// <summary>True when the directory was synced; false where that is not possible (not Linux).</summary>
    public static bool Sync(string path)
    {
        if (!OperatingSystem.IsLinux()) return false;
        int fd;
        try
        {
            fd = Open(path, ReadOnly);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // no C library under that name: the rename is then as durable as the file system makes it
        }
        if (fd < 0) throw new IOException($"{path}: cannot open the directory to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"{path}: fsync of the directory failed (errno {Marshal.GetLastPInvokeError()})");
            return true;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the project compiles no unsafe code, and these three calls
    // marshal nothing but an int and one UTF-8 string.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
#pragma warning restore SYSLIB1054
}
