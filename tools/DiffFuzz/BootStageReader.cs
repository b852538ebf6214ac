using System.Runtime.InteropServices;

namespace SecureOta.DiffFuzz;

/// <summary>The boot stage's reader (Bootloader/tests/bs_diff.c in libbs_diff.so) through P/Invoke.</summary>
public sealed class BootStageReader
{
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct Result
    {
        public int Reason;
        public int Component;
        public ulong Sequence;
        public ulong ImageSize;
        public fixed byte ImageDigest[32];
    }

    private delegate int OpenFn(string pubPem, byte[] vendor, byte[] cls);
    private unsafe delegate int CheckFn(byte* header, nuint len, Result* result);

    private readonly CheckFn _check;

    public BootStageReader(string library, string vendorPublicKeyPem, byte[] vendorId, byte[] classId)
    {
        var handle = NativeLibrary.Load(library);
        var open = Marshal.GetDelegateForFunctionPointer<OpenFn>(NativeLibrary.GetExport(handle, "bs_diff_open"));
        _check = Marshal.GetDelegateForFunctionPointer<CheckFn>(NativeLibrary.GetExport(handle, "bs_diff_check"));
        if (open(vendorPublicKeyPem, vendorId, classId) != 0)
            throw new InvalidOperationException($"{library}: bs_diff_open refused the key {vendorPublicKeyPem}");
    }

    public unsafe Verdict Check(byte[] header)
    {
        Result r;
        fixed (byte* p = header)
        {
            _check(p, (nuint)header.Length, &r);
        }
        if (r.Reason != 0) return Verdict.Rejected("boot stage reason " + r.Reason);
        var digest = new byte[32];
        for (int i = 0; i < 32; i++) digest[i] = r.ImageDigest[i];
        string component = r.Component switch { 2 => "deploy", 3 => "nanoclr", _ => "?" + r.Component };
        return Verdict.Accepted(component, r.Sequence, r.ImageSize, digest);
    }
}
