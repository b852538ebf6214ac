namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// Faults planned for one device's downloads. Each fires once, at the first download that reaches
/// it, and is then counted in Fired (so the report says exactly what happened).
/// </summary>
public sealed class NetworkFaults
{
    /// <summary>Drop the connection when this many artifact bytes have been delivered (-1 = never).</summary>
    public long DropAtByte { get; set; } = -1;

    /// <summary>Flip one bit of the artifact byte at this offset in transit (-1 = never).</summary>
    public long CorruptAtByte { get; set; } = -1;

    /// <summary>Answer the next range request with the whole artifact (HTTP 200), as a server or proxy that ignores Range.</summary>
    public bool IgnoreNextRange { get; set; }

    public List<string> Fired { get; } = [];
}
