using System.Security.Cryptography;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;

namespace SecureOta.UpdateTool.DataSets;

/// <summary>
/// `update-tool verify`: the checks a device makes, in the device's order, on a data set file:
/// envelope structure, manifest digest and signature (before anything in the manifest is trusted),
/// manifest, profile, then every recipient a key was given for (the master secret, the class
/// private key) unwrapped and required to give the same content key, then the payload streamed
/// through decryption and SHA-256 against image-digest and image-size. The first failure ends it.
/// </summary>
public static class DataSetVerifier
{
    public sealed record Outcome(int ExitCode, string Stage, string Message, SuitEnvelope? Envelope, bool Encrypted)
    {
        public bool Ok => ExitCode == ExitCodes.Ok;
    }

    public static Outcome Verify(string path, ECDsa publicKey, Keys.IKekSource? masterSecret, string? detachedPayloadPath, ECParameters? classPrivateKey = null, string? deployPayloadPath = null)
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
        if (envelope.Manifest.IsPair)
            return VerifyPair(envelope, sha, detachedPayloadPath, deployPayloadPath, masterSecret, classPrivateKey);

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
                return new Outcome(ExitCodes.Incomplete, "payload", $"signature and manifest verified; the payload is detached ({envelope.Manifest.FetchParameters.Uri}): pass it with --image to check it", envelope, encrypted);
            if (!File.Exists(detachedPayloadPath)) throw new UserError($"{detachedPayloadPath}: no such payload file");
            payloadPath = detachedPayloadPath;
            payloadOffset = 0;
            long size = new FileInfo(detachedPayloadPath).Length;
            if (size != parameters.ImageSize)
                return Fail("payload", new SuitResult(SuitError.PayloadSizeMismatch, -1, $"payload file is {size} bytes, image-size is {parameters.ImageSize}"), envelope, encrypted);
        }

        Core.Crypto.AesCtr? decryptor = null;
        string checkedRecipients = "";
        if (encrypted)
        {
            if (masterSecret is null && classPrivateKey is null)
                return new Outcome(ExitCodes.Incomplete, "payload", "signature and manifest verified; the payload is encrypted: pass --master-secret and/or --class-key to decrypt it and check its digest", envelope, true);
            var opened = OpenDecryptor(parameters, masterSecret, classPrivateKey, sha, out decryptor, out checkedRecipients);
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
            ? $"signature, manifest digest, decryption ({checkedRecipients}), payload digest and size verified"
            : "signature, manifest digest, payload digest and size verified", envelope, encrypted);
    }

    // A two-component data set: each detached payload (--image the firmware, --deploy-image the
    // application) checked against its component's digest and size.
    private static Outcome VerifyPair(SuitEnvelope envelope, DotNetSha256 sha, string? firmwarePath, string? deployPath, Keys.IKekSource? masterSecret, ECParameters? classPrivateKey)
    {
        var m = envelope.Manifest;
        bool encrypted = m.Parameters[0].EncryptionInfo is not null;
        if (firmwarePath is null || deployPath is null)
            return new Outcome(ExitCodes.Incomplete, "payload", $"signature and manifest verified; firmware and application are detached ({m.Parameters[0].PayloadUri}, {m.Parameters[1].PayloadUri}): pass them with --image and --deploy-image to check them", envelope, encrypted);
        if (encrypted && masterSecret is null && classPrivateKey is null)
            return new Outcome(ExitCodes.Incomplete, "payload", "signature and manifest verified; the images are encrypted: pass --master-secret and/or --class-key to decrypt them and check their digests", envelope, true);
        var paths = new[] { firmwarePath, deployPath };
        for (int i = 0; i < 2; i++)
        {
            if (!File.Exists(paths[i])) throw new UserError($"{paths[i]}: no such payload file");
            Core.Crypto.AesCtr? decryptor = null;
            if (encrypted)
            {
                var opened = OpenDecryptor(m.Parameters[i], masterSecret, classPrivateKey, sha, out decryptor, out _);
                if (!opened.IsOk) return Fail("decryption", opened, envelope, true);
            }
            var payload = new PayloadVerifier(sha, m.Parameters[i], decryptor);
            var bytes = File.ReadAllBytes(paths[i]);
            var step = payload.Update(bytes, 0, bytes.Length);
            if (step.IsOk) step = payload.Finish();
            if (!step.IsOk) return Fail("payload", new SuitResult(step.Error, -1, (i == 0 ? "firmware: " : "application: ") + step.Message), envelope, encrypted);
        }
        return new Outcome(ExitCodes.Ok, "all", (encrypted ? "signature, manifest digest, decryption, " : "signature, manifest digest, ") + "and the firmware's and the application's digests and sizes verified", envelope, encrypted);
    }

    /// <summary>
    /// Derives each recipient's KEK as a device's chip would (DeriveKey on the master secret; ECDH with the
    /// class key, then HKDF), unwraps every recipient a key was given for, and requires one content key
    /// for all of them: a mixed fleet must decrypt the same image. checkedRecipients names what was checked.
    /// </summary>
    public static SuitResult OpenDecryptor(SuitParameters parameters, Keys.IKekSource? masterSecret, ECParameters? classPrivateKey, Core.Crypto.ISha256 sha,
        out Core.Crypto.AesCtr? decryptor, out string checkedRecipients)
    {
        decryptor = null;
        checkedRecipients = "";
        var read = SuitPayloadCipher.ReadInfo(parameters, out var info);
        if (!read.IsOk) return read;
        var aes = new DotNetAesFactory();
        byte[]? cek = null;
        var names = new List<string>();
        foreach (var recipient in info.Recipients)
        {
            byte[]? kek = null;
            string name;
            if (recipient.IsKeyWrap && masterSecret is not null)
            {
                kek = masterSecret.DeriveKek(KekDerivation.DerivationData(recipient.Salt, parameters.ClassId));
                name = "master-secret recipient";
            }
            else if (recipient.IsEcdh && classPrivateKey is { } classKey)
            {
                using var mine = ECDiffieHellman.Create(classKey);
                using var ephemeral = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = recipient.EphemeralX, Y = recipient.EphemeralY } });
                byte[] z = mine.DeriveRawSecretAgreement(ephemeral.PublicKey);
                kek = EsDhKek.DeriveKek(sha, z);
                CryptographicOperations.ZeroMemory(z);
                name = "ES-DH recipient";
            }
            else continue;
            var unwrapped = Core.Crypto.AesKeyWrap.Unwrap(aes.Create(kek), recipient.WrappedKey);
            CryptographicOperations.ZeroMemory(kek);
            if (unwrapped is null)
                return new SuitResult(SuitError.DecryptionFailed, -1, $"the {name}'s content key does not unwrap: wrong {(recipient.IsEcdh ? "class key" : "master secret")}, or modified encryption info");
            if (cek is not null && !CryptographicOperations.FixedTimeEquals(cek, unwrapped))
                return new SuitResult(SuitError.DecryptionFailed, -1, $"the {name} wraps a different content key than the recipient before it: devices of the two kinds would decrypt different images");
            cek = unwrapped;
            names.Add(name);
        }
        if (cek is null)
            return new SuitResult(SuitError.DecryptionFailed, -1, "no recipient for the key given: " + (masterSecret is not null ? "--master-secret needs a master-secret (A128KW) recipient" : "--class-key needs an ES-DH recipient"));
        if (masterSecret is not null && !names.Contains("master-secret recipient"))
            return new SuitResult(SuitError.DecryptionFailed, -1, "--master-secret was given but the data set has no master-secret (A128KW) recipient");
        if (classPrivateKey is not null && !names.Contains("ES-DH recipient"))
            return new SuitResult(SuitError.DecryptionFailed, -1, "--class-key was given but the data set has no ES-DH recipient");
        decryptor = new Core.Crypto.AesCtr(aes.Create(cek), info.Iv);
        CryptographicOperations.ZeroMemory(cek);
        checkedRecipients = string.Join(" and ", names);
        return SuitResult.Ok;
    }

    private static SuitResult Shift(SuitResult r, long by) =>
        r.Offset >= 0 ? new SuitResult(r.Error, r.Offset + by, r.Message) : r;

    private static Outcome Fail(string stage, SuitResult result, SuitEnvelope? envelope, bool encrypted) =>
        new(ExitCodes.For(result.Error), stage, result.ToString(), envelope, encrypted);
}
