namespace SecureOta.UpdateTool.DataSets;

/// <summary>Everything `update-tool create` needs to build one data set.</summary>
public sealed class CreateRequest
{
    public required string ImagePath { get; init; }
    public required long SequenceNumber { get; init; }
    public required string Version { get; init; }
    public required byte[] VendorId { get; init; }
    public required byte[] ClassId { get; init; }
    public required string Component { get; init; }
    public string? VendorDomain { get; init; }
    public string? ClassName { get; init; }
    /// <summary>Update master secret: when set, the payload is encrypted, with a master-secret recipient (Trust M).</summary>
    public Keys.IKekSource? MasterSecret { get; init; }

    /// <summary>The class's key-agreement public key: when set, the payload is encrypted, with an ES-DH recipient (Trust X, or any chip holding the class key).</summary>
    public System.Security.Cryptography.ECParameters? ClassPublicKey { get; init; }
    public long MaxImageSize { get; init; } = DataSetLimits.DefaultMaxImageSize;
    public required string OutputPath { get; init; }

    /// <summary>
    /// A detached payload: the manifest's install fetches it from this absolute http(s) URI ("{sha256}"
    /// is replaced by the SHA-256 of the payload file, as the server stores payloads), and the (encrypted)
    /// image goes to PayloadOutPath instead of into the data set.
    /// </summary>
    public string? PayloadUri { get; init; }

    /// <summary>Sever the text (manifest-37 8.4.4): the manifest carries its digest, the envelope the text (member 23).</summary>
    public bool SeverText { get; init; }

    /// <summary>
    /// The application image released with this firmware image (a two-component data set, installed
    /// atomically: docs/data-set-format.md 1b); Component is then "nanoclr". Both payloads are detached:
    /// "{component}" in PayloadUri and PayloadOutPath tells them apart.
    /// </summary>
    public string? DeployImagePath { get; init; }

    /// <summary>
    /// A firmware dependency of an application data set (docs/data-set-format.md 1c): the firmware version
    /// the device must run at least (its parts, e.g. 1, 12, 0), or null.
    /// </summary>
    public long[]? RequiresFirmware { get; init; }
    public string? PayloadOutPath { get; init; }
}

/// <summary>Limits of the vendor tool (the device has its own, per partition).</summary>
public static class DataSetLimits
{
    /// <summary>The 8 MB board's largest partition is under 4 MiB; 16 MiB leaves room and stops mistakes early.</summary>
    public const long DefaultMaxImageSize = 16L * 1024 * 1024;

    /// <summary>Payload chunk the tool streams through (the same order of size the device uses).</summary>
    public const int ChunkSize = 4096;

    public static readonly string[] Components = ["deploy", "nanoclr"];
}
