using System.Security.Cryptography;
using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using SecureOta.UpdateTool.DataSets;
using SecureOta.UpdateTool.Keys;

namespace SecureOta.Suit.Tests;

/// <summary>
/// Builds data sets in memory with the shared codec, and runs them through the same checks a device
/// makes, in the device's order (read, authenticate, parse, policy, payload).
/// </summary>
public sealed class TestDataSets : IDisposable
{
    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public byte[] MasterSecret { get; } = RandomNumberGenerator.GetBytes(32);
    public byte[] VendorId { get; } = Uuid5.Create(Uuid5.DnsNamespace, "vendor.example");
    public byte[] ClassId { get; }

    public TestDataSets() => ClassId = Uuid5.Create(VendorId, "esp32-trustx");

    public DevicePolicy Policy(long currentSequence = 4) => new()
    {
        VendorId = VendorId,
        ClassId = ClassId,
        Components = ["deploy", "nanoclr"],
        MaxImageSizes = [1792 * 1024, 1856 * 1024],
        CurrentSequence = currentSequence,
    };

    public byte[] Build(byte[] image, long sequence = 5, bool encrypt = false, string component = "deploy", string version = "1.2.3", byte[]? classId = null, string? detachedUri = null, bool severText = false,
        long[]? requiresFirmware = null)
    {
        using var sha = new DotNetSha256();
        var payload = (byte[])image.Clone();
        byte[]? encryptionInfo = null;
        var cls = classId ?? ClassId;
        if (encrypt)
        {
            var salt = RandomNumberGenerator.GetBytes(32);
            var cek = RandomNumberGenerator.GetBytes(16);
            var iv = RandomNumberGenerator.GetBytes(16);
            encryptionInfo = SuitPayloadCipher.Seal(new ManagedAesFactory(), sha, MasterSecret, cls, salt, cek, iv, out var encryptor).Encode();
            encryptor.Transform(payload, 0, payload.Length);
        }
        var spec = new SuitManifestSpec
        {
            SequenceNumber = sequence, Component = component, VendorId = VendorId, ClassId = cls,
            ImageDigest = SHA256.HashData(image), ImageSize = image.Length, Version = version,
            VendorDomain = "vendor.example", EncryptionInfo = encryptionInfo, RequiresFirmware = requiresFirmware,
        };
        if (detachedUri is not null)
        {
            spec.PayloadKey = null;
            spec.DetachedUri = detachedUri;
        }
        byte[]? text = severText ? SuitBuilder.BuildText(spec) : null;
        if (text is not null) spec.SeveredTextDigest = SuitBuilder.SeveredTextDigest(sha, text);
        var manifest = SuitBuilder.BuildManifest(spec);
        var signature = new LocalKeySigner(Key).Sign(SuitBuilder.ToBeSigned(sha, manifest));
        var header = SuitBuilder.BuildEnvelopeHeader(sha, manifest, signature, spec.PayloadKey, payload.Length, text);
        return detachedUri is null ? [.. header, .. payload] : header; /* detached: the envelope alone */
    }

    /// <summary>Everything a device checks, in its order; the first failure is returned.</summary>
    public SuitResult Check(byte[] dataSet, int length = -1, ECDsa? key = null, DevicePolicy? policy = null, byte[]? masterSecret = null)
    {
        int n = length < 0 ? dataSet.Length : length;
        var header = dataSet[..Math.Min(n, SuitEnvelopeReader.MaxHeaderLength)];
        var read = SuitEnvelopeReader.Read(header, header.Length, n, out var envelope);
        if (!read.IsOk) return read;
        using var sha = new DotNetSha256();
        using var verifier = new DotNetEs256Verifier(ECDsa.Create((key ?? Key).ExportParameters(false)));
        var auth = SuitAuthenticator.Authenticate(envelope, sha, verifier);
        if (!auth.IsOk) return auth;
        var parsed = SuitManifestParser.Parse(envelope, sha);
        if (!parsed.IsOk) return parsed;
        var policyResult = (policy ?? Policy()).Check(envelope);
        if (!policyResult.IsOk) return policyResult;
        var parameters = envelope.Manifest.Parameters[0];
        AesCtr? decryptor = null;
        if (parameters.EncryptionInfo is not null)
        {
            var opened = DataSetVerifier.OpenDecryptor(parameters, new SecureOta.UpdateTool.Keys.FileKekSource(masterSecret ?? MasterSecret), null, sha, out decryptor, out _);
            if (!opened.IsOk) return opened;
        }
        var payload = new PayloadVerifier(sha, parameters, decryptor);
        var buffer = dataSet[(int)envelope.PayloadOffset..n];
        for (int offset = 0; offset < buffer.Length; offset += 4096)
        {
            var step = payload.Update(buffer, offset, Math.Min(4096, buffer.Length - offset));
            if (!step.IsOk) return step;
        }
        return payload.Finish();
    }

    public void Dispose() => Key.Dispose();
}
