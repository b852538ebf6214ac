using System.Security.Cryptography;
using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;

namespace SecureOta.UpdateTool.DataSets;

/// <summary>
/// Builds a data set: hashes the image, (optionally) encrypts it under a fresh content key wrapped for
/// each recipient asked for (the master secret's KEK, the class key's ES-DH KEK, or both in one data
/// set for a mixed fleet), builds and signs the manifest, and writes
/// envelope header + payload. The image is streamed; it is never held whole in memory.
/// Without a signer the authentication wrapper carries only the digest (an "unsigned" data set for
/// the external-signing path, see SignCommand).
/// </summary>
public static class DataSetWriter
{
    public sealed record Result(long FileLength, int HeaderLength, bool Encrypted, byte[] ImageDigest, long ImageSize, string? PayloadUri = null);

    public static Result Create(CreateRequest request, ISigner? signer)
    {
        var image = new FileInfo(request.ImagePath);
        if (!image.Exists) throw new UserError($"{request.ImagePath}: no such image file");
        if (image.Length == 0) throw new UserError($"{request.ImagePath}: image is empty");
        if (image.Length > request.MaxImageSize)
            throw new UserError($"{request.ImagePath}: image is {image.Length} bytes, over the limit of {request.MaxImageSize} (--max-image-size)");
        if (!DataSetLimits.Components.Contains(request.Component))
            throw new UserError($"component '{request.Component}' is not one of: {string.Join(", ", DataSetLimits.Components)}");

        using var sha = new DotNetSha256();
        byte[] digest = HashFile(sha, image.FullName);

        // One KEK salt per data set (a pair's two images share it, so one derived KEK opens the data set,
        // as an independent processor configured with one key expects); content keys and IVs are per image.
        var salt = RandomNumberGenerator.GetBytes(KekDerivation.SaltLength);
        var (encryptionInfo, encryptor) = Seal(request, sha, salt);

        if (request.DeployImagePath is not null)
            return CreatePair(request, signer, sha, image, digest, encryptionInfo, encryptor, salt);

        // A detached payload is written first: its URI may name the file's own digest.
        string? detachedUri = null;
        if (request.PayloadUri is { } uriTemplate)
        {
            CheckPayloadUri(uriTemplate.Replace(PayloadDigestPlaceholder, new string('0', 64))); /* before anything is written */
            WritePayloadFile(request.PayloadOutPath ?? throw new UserError("--payload-uri needs --payload-out FILE for the payload"), [], image.FullName, encryptor);
            detachedUri = uriTemplate.Replace(PayloadDigestPlaceholder, Convert.ToHexString(HashFile(sha, request.PayloadOutPath)).ToLowerInvariant());
            CheckPayloadUri(detachedUri);
        }

        var spec = new SuitManifestSpec
        {
            SequenceNumber = request.SequenceNumber,
            Component = request.Component,
            VendorId = request.VendorId,
            ClassId = request.ClassId,
            ImageDigest = digest,
            ImageSize = image.Length,
            Version = request.Version,
            VendorDomain = request.VendorDomain,
            ModelName = request.ClassName,
            EncryptionInfo = encryptionInfo,
            RequiresFirmware = request.RequiresFirmware,
        };
        if (detachedUri is not null)
        {
            spec.PayloadKey = null;
            spec.DetachedUri = detachedUri;
        }
        byte[]? severedText = null;
        if (request.SeverText)
        {
            if (signer is null) throw new UserError("--severable-text needs the signature now (--key or --key-label): 'sign assemble' does not carry a severed text");
            severedText = SuitBuilder.BuildText(spec);
            spec.SeveredTextDigest = SuitBuilder.SeveredTextDigest(sha, severedText);
        }
        byte[] manifest = SuitBuilder.BuildManifest(spec);
        byte[] header = signer is null
            ? UnsignedEnvelope.BuildHeader(sha, manifest, spec.PayloadKey, image.Length)
            : SuitBuilder.BuildEnvelopeHeader(sha, manifest, signer.Sign(SuitBuilder.ToBeSigned(sha, manifest)), spec.PayloadKey, image.Length, severedText);
        if (header.Length > SuitEnvelopeReader.MaxHeaderLength)
            throw new UserError($"envelope header is {header.Length} bytes, over the device's {SuitEnvelopeReader.MaxHeaderLength}; shorten the version text or names");

        if (detachedUri is not null)
        {
            WriteAtomically(request.OutputPath, header);
            return new Result(header.Length, header.Length, encryptor is not null, digest, image.Length, detachedUri);
        }

        WritePayloadFile(request.OutputPath, header, image.FullName, encryptor);
        return new Result(header.Length + image.Length, header.Length, encryptor is not null, digest, image.Length);
    }

    // With a recipient (--master-secret, --class-pub): a fresh content key and IV, wrapped for each
    // recipient (the master secret's KEK derived with the data set's salt); the encryption info and the
    // encryptor. Without one: nothing (a plain image).
    private static (byte[]? Info, AesCtr? Encryptor) Seal(CreateRequest request, DotNetSha256 sha, byte[] salt)
    {
        if (request.MasterSecret is null && request.ClassPublicKey is null) return (null, null);
        var cek = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var aes = new DotNetAesFactory();
        var recipients = new List<CoseRecipient>();
        if (request.MasterSecret is { } master)
        {
            recipients.Add(SuitPayloadCipher.KeyWrapRecipientWithKek(aes, master.DeriveKek(KekDerivation.DerivationData(salt, request.ClassId)), salt, cek));
        }
        if (request.ClassPublicKey is { } classKey)
            recipients.Add(EcdhRecipient(aes, sha, classKey, cek));
        var info = SuitPayloadCipher.Seal(aes, recipients.ToArray(), cek, iv, out var encryptor).Encode();
        CryptographicOperations.ZeroMemory(cek);
        return (info, encryptor);
    }

    /// <summary>In --payload-uri, replaced by the lower-case hex SHA-256 of the payload file.</summary>
    public const string PayloadDigestPlaceholder = "{sha256}";

    /// <summary>In --payload-uri and --payload-out of a two-component data set, replaced by the component name.</summary>
    public const string ComponentPlaceholder = "{component}";

    // Firmware and application in one data set (SuitPairBuilder): both payloads detached, written first
    // (their URIs may name their digests), then the envelope.
    private static Result CreatePair(CreateRequest request, ISigner? signer, DotNetSha256 sha, FileInfo firmware, byte[] firmwareDigest, byte[]? firmwareInfo, AesCtr? firmwareEncryptor, byte[] salt)
    {
        if (request.Component != SuitPairBuilder.FirstComponent)
            throw new UserError($"--deploy-image goes with --component {SuitPairBuilder.FirstComponent} (the firmware), not {request.Component}");
        if (request.SeverText)
            throw new UserError("a two-component data set keeps its text inline in this version: drop --severable-text");
        if (signer is null)
            throw new UserError("a two-component data set is signed now (--key or --key-label)");
        string uriTemplate = request.PayloadUri ?? throw new UserError("--deploy-image needs --payload-uri and --payload-out: both payloads are detached");
        string outTemplate = request.PayloadOutPath!;
        if (!outTemplate.Contains(ComponentPlaceholder) || !(uriTemplate.Contains(ComponentPlaceholder) || uriTemplate.Contains(PayloadDigestPlaceholder)))
            throw new UserError($"two payloads need two names: put {ComponentPlaceholder} in --payload-out, and {ComponentPlaceholder} or {PayloadDigestPlaceholder} in --payload-uri");
        var deploy = new FileInfo(request.DeployImagePath!);
        if (!deploy.Exists) throw new UserError($"{request.DeployImagePath}: no such image file");
        if (deploy.Length == 0 || deploy.Length > request.MaxImageSize)
            throw new UserError($"{request.DeployImagePath}: image is {deploy.Length} bytes (1 .. {request.MaxImageSize})");
        CheckPayloadUri(uriTemplate.Replace(PayloadDigestPlaceholder, new string('0', 64)).Replace(ComponentPlaceholder, "deploy"));

        string[] uris = new string[2];
        var files = new[] { firmware, deploy };
        var components = new[] { SuitPairBuilder.FirstComponent, SuitPairBuilder.SecondComponent };
        // Each image its own content key and IV (a CTR key stream must never cover two plaintexts).
        var (deployInfo, deployEncryptor) = firmwareInfo is null ? (null, null) : Seal(request, sha, salt);
        var encryptors = new[] { firmwareEncryptor, deployEncryptor };
        for (int i = 0; i < 2; i++)
        {
            string outPath = outTemplate.Replace(ComponentPlaceholder, components[i]);
            WritePayloadFile(outPath, [], files[i].FullName, encryptors[i]);
            uris[i] = uriTemplate.Replace(ComponentPlaceholder, components[i]).Replace(PayloadDigestPlaceholder, Convert.ToHexString(HashFile(sha, outPath)).ToLowerInvariant());
            CheckPayloadUri(uris[i]);
        }
        var spec = new SuitManifestSpec
        {
            SequenceNumber = request.SequenceNumber,
            Component = SuitPairBuilder.FirstComponent,
            VendorId = request.VendorId,
            ClassId = request.ClassId,
            ImageDigest = firmwareDigest,
            ImageSize = firmware.Length,
            Version = request.Version,
            VendorDomain = request.VendorDomain,
            ModelName = request.ClassName,
            PayloadKey = null,
            DetachedUri = uris[0],
            EncryptionInfo = firmwareInfo,
            Second = new SuitImageSpec { Component = SuitPairBuilder.SecondComponent, ImageDigest = HashFile(sha, deploy.FullName), ImageSize = deploy.Length, DetachedUri = uris[1], EncryptionInfo = deployInfo },
        };
        byte[] manifest = SuitBuilder.BuildManifest(spec);
        byte[] header = SuitBuilder.BuildEnvelopeHeader(sha, manifest, signer.Sign(SuitBuilder.ToBeSigned(sha, manifest)), null, 0);
        if (header.Length > SuitEnvelopeReader.MaxHeaderLength)
            throw new UserError($"envelope is {header.Length} bytes, over the device's {SuitEnvelopeReader.MaxHeaderLength}; shorten the URIs or names");
        WriteAtomically(request.OutputPath, header);
        return new Result(header.Length, header.Length, firmwareInfo is not null, firmwareDigest, firmware.Length, uris[0] + " and " + uris[1]);
    }

    // The profile's rule for a detached payload's URI (docs/data-set-format.md): absolute http or https,
    // at most SuitProfile.MaxUriLength bytes of UTF-8.
    private static void CheckPayloadUri(string uri)
    {
        var result = SuitProfile.CheckDetachedUri(uri);
        if (!result.IsOk) throw new UserError($"--payload-uri '{uri}': {result.Message}");
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new UserError($"{path}: cannot write the data set: {e.Message}");
        }
    }

    /// <summary>
    /// The ES-DH recipient (draft-ietf-suit-firmware-encryption-24 section 5.2): a fresh ephemeral P-256
    /// key per data set, Z = ECDH(ephemeral, class key); the ephemeral private key and Z are discarded.
    /// </summary>
    public static CoseRecipient EcdhRecipient(DotNetAesFactory aes, DotNetSha256 sha, ECParameters classPublicKey, byte[] cek)
    {
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var peer = ECDiffieHellman.Create(classPublicKey);
        byte[] z = ephemeral.DeriveRawSecretAgreement(peer.PublicKey);
        var q = ephemeral.ExportParameters(false).Q;
        var recipient = SuitPayloadCipher.EcdhRecipient(aes, sha, z, q.X!, q.Y!, cek);
        CryptographicOperations.ZeroMemory(z);
        return recipient;
    }

    /// <summary>Writes header then payload (encrypting on the fly) to a temporary file, then renames it into place.</summary>
    public static void WritePayloadFile(string outputPath, byte[] header, string payloadSource, AesCtr? encryptor, long sourceOffset = 0, long length = -1)
    {
        var temp = outputPath + ".tmp";
        try
        {
            using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write))
            using (var input = new FileStream(payloadSource, FileMode.Open, FileAccess.Read))
            {
                output.Write(header);
                input.Position = sourceOffset;
                long remaining = length >= 0 ? length : input.Length - sourceOffset;
                var buffer = new byte[DataSetLimits.ChunkSize];
                while (remaining > 0)
                {
                    int n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                    if (n == 0) throw new UserError($"{payloadSource}: ended early");
                    encryptor?.Transform(buffer, 0, n);
                    output.Write(buffer, 0, n);
                    remaining -= n;
                }
            }
            File.Move(temp, outputPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new UserError($"{outputPath}: cannot write the data set: {e.Message}");
        }
    }

    private static byte[] HashFile(ISha256 sha, string path)
    {
        sha.Reset();
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read);
        var buffer = new byte[DataSetLimits.ChunkSize];
        int n;
        while ((n = input.Read(buffer, 0, buffer.Length)) > 0) sha.Update(buffer, 0, n);
        var digest = new byte[32];
        sha.Finish(digest, 0);
        return digest;
    }
}
