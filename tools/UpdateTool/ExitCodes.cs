using SecureOta.Core.Suit;

namespace SecureOta.UpdateTool;

/// <summary>
/// update-tool's exit codes. A verification failure exits with 10 + its SuitError value, so a script
/// can tell a bad signature (18) from a rollback (25) without parsing text.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command line is wrong (System.CommandLine reports what).</summary>
    public const int Usage = 1;

    /// <summary>An input cannot be used: missing or unreadable file, wrong key type or curve, bad option value.</summary>
    public const int BadInput = 2;

    /// <summary>Everything checked verified, but not everything could be checked (encrypted payload without the secret).</summary>
    public const int Incomplete = 3;

    /// <summary>Base of the verification failures: 10 + (int)SuitError.</summary>
    public const int VerificationBase = 10;

    public static int For(SuitError error) => VerificationBase + (int)error;
}
