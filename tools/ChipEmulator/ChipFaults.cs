namespace SecureOta.ChipEmulator;

/// <summary>
/// Faults a test can inject (docs/security-chip.md, "Fault injection"). Each counter is consumed as
/// the fault happens, so a test states exactly how many times something goes wrong.
/// </summary>
public sealed class ChipFaults
{
    /// <summary>The next N transactions are NACKed (a NACK storm).</summary>
    public int NackNext { get; set; }

    /// <summary>Flip one bit in the next N frames the host writes (damaged on the bus towards the chip).</summary>
    public int CorruptToChip { get; set; }

    /// <summary>Flip one bit in the next N frames the chip answers (damaged towards the host).</summary>
    public int CorruptToHost { get; set; }

    /// <summary>Lose the next N data frames the host writes (the chip never sees them).</summary>
    public int DropToChip { get; set; }

    /// <summary>Deliver the next N chip data frames twice (a duplicate after the host already has it).</summary>
    public int DuplicateToHost { get; set; }

    /// <summary>Reset the chip in the middle of the next command (it loses the command and its session).</summary>
    public bool ResetDuringNextCommand { get; set; }

    /// <summary>An attacker on the bus rewriting response APDUs (null = none).</summary>
    public Func<byte[], byte[]>? RewriteResponse { get; set; }
}
