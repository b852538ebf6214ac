using System.Security.Cryptography;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using SecureOta.UpdateServer.Data;

namespace SecureOta.UpdateServer.Artifacts;

/// <summary>
/// Checks an uploaded data set with the shared codec, as a device would before staging: envelope,
/// manifest digest and signature against one of the configured vendor keys, manifest, profile,
/// integrated payload of exactly image-size bytes. The server cannot check the digest of an
/// encrypted payload (it never holds the master secret); a plaintext one it checks in full.
/// </summary>
public static class UploadVerifier
{
    public static (DataSetRow? DataSet, string? Error) Verify(byte[] bytes, IReadOnlyList<ECDsa> vendorKeys, string digest)
    {
        if (vendorKeys.Count == 0) return (null, "the server has no vendor key configured (--vendor-key): it accepts no uploads");
        var read = SuitEnvelopeReader.Read(bytes, Math.Min(bytes.Length, SuitEnvelopeReader.MaxHeaderLength), bytes.Length, out var envelope);
        if (!read.IsOk) return (null, "not a data set: " + read);
        using var sha = new DotNetSha256();
        SuitResult auth = new(SuitError.BadSignature, -1, "no key");
        foreach (var key in vendorKeys)
        {
            using var verifier = new DotNetEs256Verifier(ECDsa.Create(key.ExportParameters(false)));
            auth = SuitAuthenticator.Authenticate(envelope, sha, verifier);
            if (auth.IsOk) break;
        }
        if (!auth.IsOk) return (null, "signature: " + auth);
        var parsed = SuitManifestParser.Parse(envelope, sha);
        if (!parsed.IsOk) return (null, "manifest: " + parsed);
        var profile = SuitProfile.Check(envelope);
        if (!profile.IsOk) return (null, "profile: " + profile);
        if (!envelope.HasIntegratedPayload) return (null, "the payload must be integrated in the data set (devices stream it after the manifest)");
        var p = envelope.Manifest.Parameters[0];
        if (envelope.PayloadLength != p.ImageSize) return (null, $"payload is {envelope.PayloadLength} bytes, image-size is {p.ImageSize}");
        if (p.EncryptionInfo is null)
        {
            // Without a decryptor the verifier only hashes: the upload is checked where it lies.
            var payload = new PayloadVerifier(sha, p, null);
            var r = payload.Update(bytes, (int)envelope.PayloadOffset, (int)envelope.PayloadLength);
            if (r.IsOk) r = payload.Finish();
            if (!r.IsOk) return (null, "payload: " + r);
        }
        return (new DataSetRow(digest, envelope.Manifest.SequenceNumber, Convert.ToHexString(p.ClassId).ToLowerInvariant(),
            envelope.Manifest.ComponentName, envelope.Manifest.TextVersion, bytes.Length), null);
    }
}
