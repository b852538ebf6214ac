using System.Reflection;
using System.Runtime.InteropServices;

namespace SecureOta.UpdateServer.Storage.Sqlite;

/// <summary>
/// The few entry points of the SQLite C API the server uses (https://sqlite.org/c3ref/funclist.html),
/// bound to Debian's libsqlite3.so.0. Handles are IntPtr; strings cross as UTF-8.
/// </summary>
internal static partial class SqliteNative
{
    private const string Library = "sqlite3";

    // Result codes (https://sqlite.org/rescode.html).
    public const int Ok = 0, Busy = 5, Constraint = 19, Row = 100, Done = 101;

    // Open flags (https://sqlite.org/c3ref/c_open_autoproxy.html).
    public const int OpenReadWrite = 0x2, OpenCreate = 0x4, OpenFullMutex = 0x10000;

    // sqlite3_bind_text/blob destructor: SQLITE_TRANSIENT (-1) makes SQLite copy the value.
    public static readonly IntPtr Transient = new(-1);

    static SqliteNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(SqliteNative).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library) return IntPtr.Zero;
        foreach (var candidate in new[] { "libsqlite3.so.0", "libsqlite3.so", "libsqlite3.dylib", "sqlite3.dll", "winsqlite3.dll" })
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle)) return handle;
        throw new DllNotFoundException("SQLite is not installed: on Debian run 'apt-get install libsqlite3-0' (make deps does)");
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_open_v2", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string filename, out IntPtr db, int flags, IntPtr vfs);

    [LibraryImport(Library, EntryPoint = "sqlite3_close_v2")]
    public static partial int Close(IntPtr db);

    [LibraryImport(Library, EntryPoint = "sqlite3_busy_timeout")]
    public static partial int BusyTimeout(IntPtr db, int milliseconds);

    [LibraryImport(Library, EntryPoint = "sqlite3_errmsg")]
    public static partial IntPtr ErrorMessage(IntPtr db);

    [LibraryImport(Library, EntryPoint = "sqlite3_prepare_v2", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Prepare(IntPtr db, string sql, int length, out IntPtr statement, IntPtr tail);

    [LibraryImport(Library, EntryPoint = "sqlite3_finalize")]
    public static partial int Finalize(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_changes")]
    public static partial int Changes(IntPtr db);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_parameter_index", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ParameterIndex(IntPtr statement, string name);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    public static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    public static partial int BindText(IntPtr statement, int index, byte[] utf8, int length, IntPtr destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_blob")]
    public static partial int BindBlob(IntPtr statement, int index, byte[] value, int length, IntPtr destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    public static partial int BindNull(IntPtr statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_count")]
    public static partial int ColumnCount(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    public static partial int ColumnType(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    public static partial long ColumnInt64(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    public static partial IntPtr ColumnText(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    public static partial IntPtr ColumnBlob(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    public static partial int ColumnBytes(IntPtr statement, int column);

    // Fundamental datatypes (https://sqlite.org/c3ref/c_blob.html).
    public const int TypeInteger = 1, TypeFloat = 2, TypeText = 3, TypeBlob = 4, TypeNull = 5;
}
