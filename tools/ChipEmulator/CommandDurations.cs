namespace SecureOta.ChipEmulator;

/// <summary>
/// How long a part takes for its cryptographic commands on the virtual clock, each part from its own
/// datasheet (shared/reference/optiga-trust.md section 4): a Trust M charged the Trust X's figures would
/// sign faster than a real Trust M does (60 against 65-70 ms), which a fake must never be. A Trust M's
/// datasheet gives a second figure "with shielded connection" for most commands; the emulator charges it
/// for a command that came in a protected record (ApduProcessor.CommandProtected/ResponseProtected).
/// Durations the datasheets do not give stay the emulator's choices (ApduProcessor's constants,
/// docs/security-chip.md "Durations").
/// </summary>
public sealed class CommandDurations
{
    public required int SignUs { get; init; }
    public required int VerifyUs { get; init; }
    public required int EcdhUs { get; init; }
    public required int KeyGenUs { get; init; }

    /// <summary>DeriveKey with the TLS PRF (the agent's update key derivation on a Trust M).</summary>
    public required int TlsPrfUs { get; init; }

    /// <summary>DeriveKey with HKDF (Trust M only; a Trust X has no HKDF).</summary>
    public required int HkdfUs { get; init; }

    /// <summary>An HMAC over a secret (EncryptSym/DecryptSym in an HMAC mode; Trust M only).</summary>
    public required int HmacUs { get; init; }

    /// <summary>SHA-256 (CalcHash): microseconds per byte hashed.</summary>
    public required int HashUsPerByte { get; init; }

    /// <summary>
    /// Trust X, DS-X Table 15: sign 60, verify 85, ECDH 65, key pair 80, TLS PRF SHA-256 140 ms, SHA-256
    /// about 5 KB/s. It has neither HKDF nor HMAC commands (the part table refuses them first), so those
    /// two carry the TLS PRF's figure only to be defined.
    /// </summary>
    public static readonly CommandDurations TrustX = new()
    {
        SignUs = 60_000, VerifyUs = 85_000, EcdhUs = 65_000, KeyGenUs = 80_000, TlsPrfUs = 140_000,
        HkdfUs = 140_000, HmacUs = 140_000, HashUsPerByte = 200,
    };

    /// <summary>
    /// Trust M V3, DS-M Table 18 without the shielded connection: sign 65, verify 85, ECDH 60, key pair 55,
    /// TLS1.2 PRF 50, HKDF-SHA256 130, HMAC-SHA256 90 ms, SHA-256 about 15 KB/s.
    /// </summary>
    public static readonly CommandDurations TrustM = new()
    {
        SignUs = 65_000, VerifyUs = 85_000, EcdhUs = 60_000, KeyGenUs = 55_000, TlsPrfUs = 50_000,
        HkdfUs = 130_000, HmacUs = 90_000, HashUsPerByte = 67,
    };

    /// <summary>
    /// Trust M V3, DS-M Table 18 "with shielded connection": sign 70, verify 95, ECDH 65, key pair 60,
    /// TLS1.2 PRF 55 ms, SHA-256 about 14 KB/s. The table gives HKDF and HMAC without a shielded figure:
    /// theirs are the plain ones.
    /// </summary>
    public static readonly CommandDurations TrustMShielded = new()
    {
        SignUs = 70_000, VerifyUs = 95_000, EcdhUs = 65_000, KeyGenUs = 60_000, TlsPrfUs = 55_000,
        HkdfUs = 130_000, HmacUs = 90_000, HashUsPerByte = 71,
    };
}
