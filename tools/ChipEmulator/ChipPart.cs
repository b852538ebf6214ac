namespace SecureOta.ChipEmulator;

/// <summary>
/// What distinguishes the two parts the emulator can be, each strictly (issue 12): a Trust X 1.x answers
/// only what a Trust X has, a Trust M what a Trust M V3 has. Sources for each value are next to it
/// (citation keys of shared/reference/optiga-trust.md section 0).
/// </summary>
public sealed class ChipPart
{
    public const string TrustXName = "trust-x", TrustMName = "trust-m";

    /// <summary>"trust-x" or "trust-m", as chip-emu and device-sim spell it.</summary>
    public required string Name { get; init; }

    /// <summary>I2C_STATE byte 1: PRESENT_LAYER 0x80 on Trust M, 0x00 on Trust X (DS-X Table 22, DS-M A.2.1.1).</summary>
    public required byte StateByte1 { get; init; }

    /// <summary>The presentation layer (shielded connection) exists only on Trust M (I2C-203 section 6; X-CFG has none).</summary>
    public bool HasPresentationLayer => StateByte1 != 0;

    /// <summary>tSTARTUP: 10 ms Trust X (DS-X Tables 11-12), 15 ms Trust M (DS-M Tables 13-14).</summary>
    public required int StartupUs { get; init; }

    /// <summary>Exported SHA-256 context: 130 bytes on Trust X (X-CMDH CALC_HASH_SHA256_CONTEXT_SIZE), 209 on Trust M (M-COM OPTIGA_HASH_CONTEXT_LENGTH_SHA_256).</summary>
    public required int HashContextLength { get; init; }

    /// <summary>
    /// Trust M only: data object types (tag E8: PRESSEC, PTFBIND, UPCTR...), monotonic counters E120-E123,
    /// the platform binding secret E140, DeriveKey from a data object, SetDataObject count (SRM-M Tables 21, 34, 45-46).
    /// The Trust X host library and OID list name none of these (X-UTIL eOID_d, PY enums/x.py).
    /// </summary>
    public required bool HasTrustMObjects { get; init; }

    /// <summary>The command codes the part executes (DS-X Table 13 / X-CMDC; SRM-M Table 14 / M-CMD), without the 0x80 flag.</summary>
    public required byte[] Commands { get; init; }

    /// <summary>Command durations (DS-X Table 15 / DS-M Table 18).</summary>
    public required CommandDurations Durations { get; init; }

    /// <summary>Command durations for a command in a protected record (DS-M Table 18's shielded figures; a Trust X has no shielded connection).</summary>
    public required CommandDurations ShieldedDurations { get; init; }

    /// <summary>The curves of GenKeyPair, CalcSign, VerifySign and CalcSSec (EccCurve): a Trust X 0x03 P-256 and 0x04 P-384 (X-CMDH); a Trust M V3 also P-521 and Brainpool P256r1/P384r1/P512r1 (M-COM optiga_ecc_curve_t, enabled in M-LIBCFG).</summary>
    public required byte[] Curves { get; init; }

    public static readonly ChipPart TrustX = new()
    {
        Name = TrustXName, StateByte1 = 0x00, StartupUs = 10_000, HashContextLength = 130, HasTrustMObjects = false,
        Durations = CommandDurations.TrustX, ShieldedDurations = CommandDurations.TrustX,
        Curves = [0x03, 0x04],
        // SetAuthScheme, GetAuthMsg and SetAuthMsg (0x10, 0x18, 0x19) for one-way authentication; GetMessage and
        // PutMessage (0x1A, 0x1B: the on-chip DTLS client, X-CMDC CMD_GETMSG/CMD_PUTMSG; ApduProcessor.Dtls.cs).
        Commands = [0x01, 0x02, 0x0C, 0x10, 0x18, 0x19, 0x1A, 0x1B, 0x30, 0x31, 0x32, 0x33, 0x34, 0x38, 0x70],
    };

    public static readonly ChipPart TrustM = new()
    {
        Name = TrustMName, StateByte1 = 0x80, StartupUs = 15_000, HashContextLength = 209, HasTrustMObjects = true,
        Durations = CommandDurations.TrustM, ShieldedDurations = CommandDurations.TrustMShielded,
        Curves = [0x03, 0x04, 0x05, 0x13, 0x15, 0x16],
        Commands = [0x01, 0x02, 0x03, 0x0C, 0x14, 0x15, 0x1E, 0x1F, 0x30, 0x31, 0x32, 0x33, 0x34, 0x38, 0x39, 0x70, 0x71],
    };

    public static ChipPart Named(string name) => name switch
    {
        TrustXName => TrustX,
        TrustMName => TrustM,
        _ => throw new ArgumentException($"unknown part '{name}': use {TrustXName} or {TrustMName}"),
    };
}
