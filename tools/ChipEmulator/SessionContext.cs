namespace SecureOta.ChipEmulator;

/// <summary>
/// A volatile session context E100-E103 (SRM-M Table 46; X-CRYPT OPTIGA_SESSION_ID_E100..E103): holds
/// either a private key (GenKeyPair into a session) or a secret (CalcSSec or DeriveKey into a session).
/// It is not a data object: GetDataObject and SetDataObject do not reach it, and a reset clears it.
/// </summary>
public sealed class SessionContext
{
    public const int First = 0xE100, Last = 0xE103;

    public byte[]? PrivateKeyPkcs8 { get; init; }
    public byte KeyUsage { get; init; }
    public byte[]? Secret { get; init; }

    /// <summary>An authorization code (optional data ‖ random) from GetRandom, consumed by one HMAC verification.</summary>
    public byte[]? AuthorizationCode { get; set; }

    public static bool IsSession(int oid) => oid is >= First and <= Last;
}
