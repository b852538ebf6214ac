using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SecureOta.Core.Cbor;
using SecureOta.Core.Cose;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;

namespace SecureOta.UpdateTool.DataSets;

/// <summary>
/// `update-tool inspect`: every field of a data set in human form (or JSON). Nothing is verified
/// here, and the report says so: use `verify` with the vendor's public key for that.
/// </summary>
public sealed class InspectReport
{
    public required string File { get; init; }
    public required long FileLength { get; init; }
    public required int HeaderLength { get; init; }
    public required string Verified { get; init; }
    public string? PayloadKey { get; init; }
    public long? PayloadOffset { get; init; }
    public long? PayloadLength { get; init; }
    public required string ManifestDigest { get; init; }
    public required IReadOnlyList<SignatureInfo> Signatures { get; init; }
    public required int ManifestVersion { get; init; }
    public required long SequenceNumber { get; init; }
    public required IReadOnlyList<string> Components { get; init; }
    public string? VendorId { get; init; }
    public string? ClassId { get; init; }
    public string? ImageDigest { get; init; }
    public long? ImageSize { get; init; }
    public string? Uri { get; init; }

    /// <summary>Firmware and application together: the application's (component 1) digest, size and uri; null otherwise.</summary>
    public string? SecondImageDigest { get; init; }
    public long? SecondImageSize { get; init; }
    public string? SecondUri { get; init; }
    public string? ReferenceUri { get; init; }
    public EncryptionSummary? Encryption { get; init; }

    /// <summary>An encrypted pair: the application's own encryption info (its content key and IV are not the firmware's).</summary>
    public EncryptionSummary? SecondEncryption { get; init; }
    public required IReadOnlyDictionary<string, string> Sequences { get; init; }
    /// <summary>A firmware dependency: "nanoclr >= 1.12.0" (docs/data-set-format.md 1c); null otherwise.</summary>
    public string? RequiresFirmware { get; init; }
    public string? TextVersion { get; init; }
    public string? TextVendorDomain { get; init; }
    public string? TextModelName { get; init; }

    public sealed record SignatureInfo(string Algorithm, string? KeyId, string Signature);

    public sealed record EncryptionSummary(string Content, string Iv, List<RecipientSummary> Recipients);
    public sealed record RecipientSummary(string KeyWrap, string? KeyId, string? Salt, string? EphemeralKey, string WrappedKey);

    // The encryption info's content algorithm, IV and recipients (firmware-encryption-24 section 5); null when plain.
    private static EncryptionSummary? Summarize(string path, byte[]? encryptionInfo)
    {
        if (encryptionInfo is null) return null;
        try
        {
            var info = CoseEncryptInfo.Parse(encryptionInfo, 0, encryptionInfo.Length);
            return new EncryptionSummary("A128CTR (-65534)", Hex(info.Iv), info.Recipients.Select(r => new RecipientSummary(
                r.IsKeyWrap ? "A128KW (-3)" : r.IsEcdh ? "ECDH-ES + A128KW (-29)" : $"unknown ({r.Algorithm})",
                r.KeyId is null ? null : Utf8.Decode(r.KeyId, 0, r.KeyId.Length) ?? Hex(r.KeyId),
                r.Salt is null ? null : Hex(r.Salt),
                r.EphemeralX is null ? null : "04" + Hex(r.EphemeralX) + Hex(r.EphemeralY!),
                Hex(r.WrappedKey))).ToList());
        }
        catch (Exception e) when (e is CoseException or CborException)
        {
            throw new UserError($"{path}: encryption info is invalid: {e.Message}", ExitCodes.For(SuitError.DecryptionFailed));
        }
    }

    public static InspectReport Build(string path)
    {
        if (!System.IO.File.Exists(path)) throw new UserError($"{path}: no such data set file");
        long fileLength = new FileInfo(path).Length;
        var prefix = UnsignedEnvelope.ReadPrefix(path, SuitEnvelopeReader.MaxHeaderLength);
        var read = SuitEnvelopeReader.Read(prefix, prefix.Length, fileLength, out var env);
        if (!read.IsOk) throw new UserError($"{path}: {read}", ExitCodes.For(read.Error));
        using var sha = new DotNetSha256();
        var parsed = SuitManifestParser.Parse(env, sha);
        if (!parsed.IsOk) throw new UserError($"{path}: {parsed}", ExitCodes.For(parsed.Error));
        var m = env.Manifest;
        var p = m.Parameters[0];

        var encryption = Summarize(path, p.EncryptionInfo);
        var secondEncryption = m.IsPair ? Summarize(path, m.Parameters[1].EncryptionInfo) : null;

        var sequences = new Dictionary<string, string>();
        foreach (var s in new[] { m.SharedSequence, m.Validate, m.Load, m.Invoke, m.PayloadFetch, m.Install })
        {
            if (!s.Present) continue;
            sequences[s.Name] = s.Severed && !s.Parsed
                ? "severed, not delivered (digest " + Hex(s.SeveredDigest) + ")"
                : (s.Severed ? "severed: " : "") + string.Join(", ", s.Commands.Select(SuitNames.Command));
        }

        return new InspectReport
        {
            File = path,
            FileLength = fileLength,
            HeaderLength = env.HeaderLength,
            Verified = "NOT VERIFIED: inspect shows what the file says; run 'update-tool verify' with the vendor's public key",
            PayloadKey = env.PayloadKey,
            PayloadOffset = env.HasIntegratedPayload ? env.PayloadOffset : null,
            PayloadLength = env.HasIntegratedPayload ? env.PayloadLength : null,
            ManifestDigest = "sha-256 " + Hex(env.AuthDigest),
            Signatures = env.Signatures.Select(s => new SignatureInfo(
                s.Algorithm == CoseLabels.AlgEs256 ? "ES256 (-7)" : "ESP256 (-9)",
                s.KeyId is null ? null : Hex(s.KeyId), Hex(s.Signature))).ToList(),
            ManifestVersion = m.Version,
            SequenceNumber = m.SequenceNumber,
            Components = m.Components.Select(c => "[" + string.Join(", ", c.Select(ComponentPart)) + "]").ToList(),
            VendorId = p.VendorId is null ? null : Uuid.Format(p.VendorId),
            ClassId = p.ClassId is null ? null : Uuid.Format(p.ClassId),
            ImageDigest = p.ImageDigest is null ? null : "sha-256 " + Hex(p.ImageDigest),
            ImageSize = p.ImageSize >= 0 ? p.ImageSize : null,
            Uri = m.IsPair ? m.Parameters[0].PayloadUri : m.FetchParameters.Uri,
            SecondImageDigest = m.IsPair ? "sha-256 " + Hex(m.Parameters[1].ImageDigest) : null,
            SecondImageSize = m.IsPair ? m.Parameters[1].ImageSize : null,
            SecondUri = m.IsPair ? m.Parameters[1].PayloadUri : null,
            ReferenceUri = m.ReferenceUri,
            RequiresFirmware = m.RequiredFirmware is { } rf ? $"{SuitPairBuilder.FirstComponent} >= {DevicePolicy.FormatVersion(rf)}" : null,
            Encryption = encryption,
            SecondEncryption = secondEncryption,
            Sequences = sequences,
            TextVersion = m.TextVersion,
            TextVendorDomain = m.TextVendorDomain,
            TextModelName = m.TextModelName,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToText()
    {
        var b = new StringBuilder();
        void Line(string name, object? value)
        {
            if (value is not null) b.Append("  ").Append(name.PadRight(18)).Append(value).Append('\n');
        }
        b.Append(File).Append(" (").Append(FileLength).Append(" bytes)\n");
        b.Append("  ").Append(Verified).Append('\n');
        b.Append("envelope\n");
        Line("header", $"{HeaderLength} bytes (limit {SuitEnvelopeReader.MaxHeaderLength})");
        Line("payload", PayloadKey is null ? "detached" : $"integrated as \"{PayloadKey}\", {PayloadLength} bytes at offset {PayloadOffset}");
        Line("manifest digest", ManifestDigest);
        foreach (var s in Signatures) Line("signature", $"{s.Algorithm}{(s.KeyId is null ? "" : " kid " + s.KeyId)} {s.Signature}");
        b.Append("manifest\n");
        Line("version", ManifestVersion);
        Line("sequence number", SequenceNumber);
        Line("components", string.Join(" ", Components));
        Line("vendor-id", VendorId);
        Line("class-id", ClassId);
        Line("image digest", ImageDigest);
        Line("image size", ImageSize);
        Line("uri", Uri);
        Line("deploy digest", SecondImageDigest);
        Line("deploy size", SecondImageSize);
        Line("deploy uri", SecondUri);
        Line("reference-uri", ReferenceUri);
        Line("requires", RequiresFirmware);
        foreach (var (name, commands) in Sequences) Line(name, commands);
        AppendEncryption(b, Line, SecondEncryption is null ? "encryption" : "nanoclr encryption", Encryption);
        AppendEncryption(b, Line, "deploy encryption", SecondEncryption);
        if (TextVersion is not null || TextVendorDomain is not null || TextModelName is not null)
        {
            b.Append("text\n");
            Line("version", TextVersion);
            Line("vendor domain", TextVendorDomain);
            Line("model name", TextModelName);
        }
        return b.ToString();
    }

    private static void AppendEncryption(StringBuilder b, Action<string, object?> line, string title, EncryptionSummary? e)
    {
        if (e is null) return;
        b.Append(title).Append('\n');
        line("content", e.Content);
        line("iv", e.Iv);
        foreach (var r in e.Recipients)
        {
            line("recipient", r.KeyWrap);
            line("key id", r.KeyId);
            line("kek salt", r.Salt);
            line("ephemeral key", r.EphemeralKey);
            line("wrapped key", r.WrappedKey);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static string ComponentPart(byte[] part)
    {
        var text = Utf8.Decode(part, 0, part.Length);
        return text is not null && text.All(c => c >= 0x20 && c < 0x7F) ? $"'{text}'" : "h'" + Hex(part) + "'";
    }

    private static string Hex(byte[]? bytes) => bytes is null ? "" : Convert.ToHexString(bytes).ToLowerInvariant();
}
