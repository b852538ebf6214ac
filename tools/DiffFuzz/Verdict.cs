namespace SecureOta.DiffFuzz;

/// <summary>What one reader decided on an envelope header, and the fields it would install by.</summary>
public sealed record Verdict(bool Ok, string Why, string Component, ulong Sequence, ulong ImageSize, byte[] ImageDigest)
{
    public static Verdict Rejected(string why) => new(false, why, "", 0, 0, []);

    public static Verdict Accepted(string component, ulong sequence, ulong size, byte[] digest) =>
        new(true, "accepted", component, sequence, size, digest);

    /// <summary>Same verdict, and when both accept, the same component, sequence number, size and digest.</summary>
    public bool SameAs(Verdict other) =>
        Ok == other.Ok && (!Ok || (Component == other.Component && Sequence == other.Sequence
            && ImageSize == other.ImageSize && ImageDigest.AsSpan().SequenceEqual(other.ImageDigest)));

    public override string ToString() => Ok ? $"accepted {Component} seq={Sequence} size={ImageSize}" : "rejected (" + Why + ")";
}
