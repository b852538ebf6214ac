using System.Security.Cryptography;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;

namespace SecureOta.UpdateTool.DataSets;

/// <summary>
/// `update-tool verify`: the checks a device makes, in the device's order, on a data set file:
/// envelope structure, manifest digest and signature (before anything in the manifest is trusted),
/// manifest, profile, then the payload streamed through decryption (with the master secret) and
/// SHA-256 against image-digest and image-size. The first failure ends it.
/// </summary>
public static class DataSetVerifier
{
    public sealed record Outcome(int ExitCode, string Stage, string Message, SuitEnvelope? Envelope, bool Encrypted)
    {
        public bool Ok => ExitCode == ExitCodes.Ok;
    }

    public static Outcome Verify(string path, ECDsa publicKey, byte[]? masterSecret, string? detachedPayloadPath)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: no such data set file");
        long fileLength = new FileInfo(path).Length;
        var prefix = UnsignedEnvelope.ReadPrefix(path, SuitEnvelopeReader.MaxHeaderLength);

        var read = SuitEnvelopeReader.Read(prefix, prefix.Length, fileLength, out var envelope);
        if (!read.IsOk) return Fail("envelope", read, null, false);

        using var sha = new DotNetSha256();
        using var verifier = new DotNetEs256Verifier(ECDsa.Create(publicKey.ExportParameters(false)));
        var auth = SuitAuthenticator.Authenticate(envelope, sha, verifier);
        if (!auth.IsOk) return Fail("signature", auth, envelope, false);

        var parsed = SuitManifestParser.Parse(envelope, sha);
        if (!parsed.IsOk) return Fail("manifest", parsed, envelope, false);
        var profile = SuitProfile.Check(envelope);
        if (!profile.IsOk) return Fail("profile", profile, envelope, false);

        var parameters = envelope.Manifest.Parameters[0];
        bool encrypted = parameters.EncryptionInfo is not null;

        string payloadPath;
        long payloadOffset;
        if (envelope.HasIntegratedPayload)
        {
            if (detachedPayloadPath is not null)
                throw new UserError($"{path}: the payload is integrated in the data set; --image is only for data sets with a detached payload");
            payloadPath = path;
            payloadOffset = envelope.PayloadOffset;
        }
        else
        {
            if (detachedPayloadPath is null)
                return new Outcome(ExitCodes.Incomplete, "payload", $"signature and manifest verified; the payload is detached ({parameters.Uri}): pass it with --image to check it", envelope, encrypted);
            if (!File.Exists(detachedPayloadPath)) throw new UserError($"{detachedPayloadPath}: no such payload file");
            payloadPath = detachedPayloadPath;
            payloadOffset = 0;
            long size = new FileInfo(detachedPayloadPath).Length;
            if (size != parameters.ImageSize)
                return Fail("payload", new SuitResult(SuitError.PayloadSizeMismatch, -1, $"payload file is {size} bytes, image-size is {parameters.ImageSize}"), envelope, encrypted);
        }

        Core.Crypto.AesCtr? decryptor = null;
        if (encrypted)
        {
            if (masterSecret is null)
                return new Outcome(ExitCodes.Incomplete, "payload", "signature and manifest verified; the payload is encrypted: pass --master-secret to decrypt it and check its digest", envelope, true);
            var opened = OpenDecryptor(parameters, masterSecret, sha, out decryptor);
            if (!opened.IsOk) return Fail("decryption", opened, envelope, true);
        }

        var payload = new PayloadVerifier(sha, parameters, decryptor);
        using (var input = new FileStream(payloadPath, FileMode.Open, FileAccess.Read))
        {
            input.Position = payloadOffset;
            var buffer = new byte[DataSetLimits.ChunkSize];
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                var step = payload.Update(buffer, 0, n);
                if (!step.IsOk) return Fail("payload", Shift(step, payloadOffset), envelope, encrypted);
            }
        }
        var done = payload.Finish();
        if (!done.IsOk) return Fail("payload", Shift(done, payloadOffset), envelope, encrypted);

        return new Outcome(ExitCodes.Ok, "all", encrypted
            ? "signature, manifest digest, decryption, payload digest and size verified"
            : "signature, manifest digest, payload digest and size verified", envelope, encrypted);
    }

    /// <summary>Derives the KEK as the device's chip would and unwraps the content key.</summary>
    public static SuitResult OpenDecryptor(SuitParameters parameters, byte[] masterSecret, Core.Crypto.ISha256 sha, out Core.Crypto.AesCtr? decryptor)
    {
        decryptor = null;
        var read = SuitPayloadCipher.ReadInfo(parameters, out var info);
        if (!read.IsOk) return read;
        var kek = KekDerivation.DeriveKek(sha, masterSecret, info.Salt, parameters.ClassId);
        decryptor = SuitPayloadCipher.OpenDecryptor(new DotNetAesFactory(), kek, info);
        CryptographicOperations.ZeroMemory(kek);
        return decryptor is null
            ? new SuitResult(SuitError.DecryptionFailed, -1, "the content key does not unwrap: wrong master secret, or modified encryption info")
            : SuitResult.Ok;
    }

    private static SuitResult Shift(SuitResult r, long by) =>
        r.Offset >= 0 ? new SuitResult(r.Error, r.Offset + by, r.Message) : r;

    private static Outcome Fail(string stage, SuitResult result, SuitEnvelope? envelope, bool encrypted) =>
        new(ExitCodes.For(result.Error), stage, result.ToString(), envelope, encrypted);
}
