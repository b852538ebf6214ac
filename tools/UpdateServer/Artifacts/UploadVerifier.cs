using System.Security.Cryptography;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using SecureOta.UpdateServer.Data;

namespace SecureOta.UpdateServer.Artifacts;

/// <summary>
/// Checks an uploaded data set with the shared codec, as a device would before staging: envelope,
/// manifest digest and signature against one of the configured vendor keys, manifest, profile,
/// integrated payload of exactly image-size bytes. The server cannot check the digest of an
/// encrypted payload (it never holds the master secret); a plaintext one it checks in full. A detached
/// payload whose uri ends in /payloads/{sha256} must already be stored here (uploaded first) with
/// image-size bytes, and is checked like an integrated one; a uri elsewhere (a CDN, nginx) is taken as
/// the vendor's promise, which the device checks against the signed digest anyway.
/// </summary>
public static class UploadVerifier
{
    public static (DataSetRow? DataSet, string? Error) Verify(byte[] bytes, IReadOnlyList<ECDsa> vendorKeys, string digest, ArtifactStore? payloads = null)
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
        var p = envelope.Manifest.Parameters[0];
        if (envelope.Manifest.IsPair)
        {
            // Firmware and application: each payload this server holds is checked like a single one.
            for (int i = 0; i < 2; i++)
            {
                var pi = envelope.Manifest.Parameters[i];
                var error = CheckStoredPayload(pi, payloads, sha);
                if (error is not null) return (null, (i == 0 ? "firmware: " : "application: ") + error);
            }
            return (new DataSetRow(digest, envelope.Manifest.SequenceNumber, Convert.ToHexString(p.ClassId).ToLowerInvariant(),
                "nanoclr+deploy", envelope.Manifest.TextVersion, bytes.Length), null);
        }
        byte[] payloadBytes = bytes;
        int payloadOffset = (int)envelope.PayloadOffset;
        if (!envelope.HasIntegratedPayload)
        {
            var stored = StoredPayload(envelope.Manifest.FetchParameters.Uri!, payloads);
            if (stored is null) payloadBytes = [];
            else if (!File.Exists(stored)) return (null, $"the payload {envelope.Manifest.FetchParameters.Uri} is not on this server: upload it first (POST /api/v1/admin/payloads)");
            else
            {
                payloadBytes = File.ReadAllBytes(stored);
                payloadOffset = 0;
                if (payloadBytes.Length != p.ImageSize) return (null, $"the stored payload is {payloadBytes.Length} bytes, image-size is {p.ImageSize}");
            }
        }
        else if (envelope.PayloadLength != p.ImageSize) return (null, $"payload is {envelope.PayloadLength} bytes, image-size is {p.ImageSize}");
        if (p.EncryptionInfo is null && payloadBytes.Length > 0)
        {
            // Without a decryptor the verifier only hashes: the upload is checked where it lies.
            var payload = new PayloadVerifier(sha, p, null);
            var r = payload.Update(payloadBytes, payloadOffset, (int)p.ImageSize);
            if (r.IsOk) r = payload.Finish();
            if (!r.IsOk) return (null, "payload: " + r);
        }
        return (new DataSetRow(digest, envelope.Manifest.SequenceNumber, Convert.ToHexString(p.ClassId).ToLowerInvariant(),
            envelope.Manifest.ComponentName, envelope.Manifest.TextVersion, bytes.Length), null);
    }

    // A detached payload named by this server's /payloads/: present, image-size bytes, and (plain) its digest.
    private static string? CheckStoredPayload(SuitParameters p, ArtifactStore? payloads, DotNetSha256 sha)
    {
        var stored = StoredPayload(p.PayloadUri!, payloads);
        if (stored is null) return null;
        if (!File.Exists(stored)) return $"the payload {p.PayloadUri} is not on this server: upload it first (POST /api/v1/admin/payloads)";
        var bytes = File.ReadAllBytes(stored);
        if (bytes.Length != p.ImageSize) return $"the stored payload is {bytes.Length} bytes, image-size is {p.ImageSize}";
        if (p.EncryptionInfo is not null) return null;
        var verifier = new PayloadVerifier(sha, p, null);
        var r = verifier.Update(bytes, 0, bytes.Length);
        if (r.IsOk) r = verifier.Finish();
        return r.IsOk ? null : "payload: " + r;
    }

    // The path of a payload this server stores, when the uri names one (.../payloads/<64 hex>); else null.
    private static string? StoredPayload(string uri, ArtifactStore? payloads)
    {
        int at = uri.LastIndexOf(Api.ArtifactEndpoints.PayloadPath, StringComparison.Ordinal);
        if (payloads is null || at < 0) return null;
        var digest = uri[(at + Api.ArtifactEndpoints.PayloadPath.Length)..];
        if (digest.Length != 64 || !digest.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')) return null;
        return payloads.PathOf(digest);
    }
}
