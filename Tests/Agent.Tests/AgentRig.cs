using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.Agent.Update.Flow;
using SecureOta.ChipEmulator;
using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Chip;

namespace SecureOta.Agent.Tests;

/// <summary>
/// A simulated device for the agent: a provisioned chip (emulator), strict flash partitions laid out
/// like the 4 MB board (so bootsim can boot them), and a vendor that builds data sets.
/// </summary>
public sealed class AgentRig : IDisposable
{
    public const int Sector = BoardFlash.Sector;
    public const int StagingSize = BoardFlash.StagingSize, DeploySize = BoardFlash.DeploySize, NanoclrSize = BoardFlash.NanoclrSize;

    public ECDsa VendorKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public byte[] MasterSecret { get; } = RandomNumberGenerator.GetBytes(32);
    public byte[] VendorId { get; } = SHA256.HashData("vendor.example"u8.ToArray())[..16];
    public byte[] ClassId { get; } = SHA256.HashData("esp32-trustx"u8.ToArray())[..16];
    public VirtualClock Clock { get; } = new();
    public ChipState ChipState { get; }
    public SecureOta.ChipEmulator.ChipEmulator Chip { get; }
    public SecurityChip Driver { get; }

    /// <summary>The board's partitions, as the device simulator models them (bootsim's flash-file order).</summary>
    public BoardFlash Flash { get; }
    public StrictRamFlash BootState => Flash.BootState;
    public StrictRamFlash Staging => Flash.Staging;
    public StrictRamFlash Deploy => Flash.Deploy;
    public StrictRamFlash Nanoclr => Flash.Nanoclr;

    /// <summary>The class's key-agreement key: in E0F1 of the chip (either part), its public half is what the vendor encrypts to.</summary>
    public ECDiffieHellman ClassKey { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Which recipients an encrypted data set gets: the master secret's (Trust M), the class key's ES-DH (Trust X), or both.</summary>
    public enum Recipients { MasterSecret, EsDh, Both }

    public AgentRig(bool shielded = false, int stagingSize = StagingSize, ChipPart? part = null, BoardLayout? layout = null)
    {
        Flash = layout is null ? new BoardFlash(stagingSize) : new BoardFlash(layout);
        using var cert = new CertificateRequest("CN=vendor update key", VendorKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        ChipState = part == ChipPart.TrustX
            ? ChipState.ProvisionTrustX(cert.RawData, ClassKey.ExportPkcs8PrivateKey())
            : ChipState.Provision(cert.RawData, MasterSecret, classKeyPkcs8: ClassKey.ExportPkcs8PrivateKey());
        Chip = new SecureOta.ChipEmulator.ChipEmulator(ChipState, Clock);
        Driver = new SecurityChip(Chip, Clock);
        if (shielded) Driver.EnableShieldedConnection(ChipState.Objects[ChipState.OidPlatformBinding].Data, new Sha256(), new ManagedAesFactory());
        if (!Driver.Open().IsOk) throw new InvalidOperationException("chip did not open");
    }

    public UpdateEngine Engine(long maxImage = DeploySize, long[]? firmwareVersion = null) => EngineOn(Staging, maxImage, firmwareVersion);

    /// <summary>The engine over another staging area (a decorator of <see cref="Staging"/>, for measurements).</summary>
    /// <summary>An engine on the given staging area (and boot-state area: null for the rig's own).</summary>
    public UpdateEngine EngineOn(SecureOta.Drivers.Flash.IFlashArea staging, long maxImage = DeploySize, long[]? firmwareVersion = null,
        SecureOta.Drivers.Flash.IFlashArea? bootState = null) => new(Driver, staging, bootState ?? BootState, new DevicePolicy
    {
        VendorId = VendorId,
        ClassId = ClassId,
        Components = ["deploy", "nanoclr"],
        MaxImageSizes = [maxImage, NanoclrSize],
        FirmwareVersion = firmwareVersion,
    }, new Sha256(), new ManagedAesFactory());

    public byte[] DataSet(byte[] image, long sequence, bool encrypt = false, byte[]? classId = null, ECDsa? key = null, string component = "deploy", Recipients recipients = Recipients.MasterSecret,
        long[]? requiresFirmware = null)
    {
        var (header, payload) = Build(image, sequence, encrypt, classId, key, component, recipients, null, requiresFirmware);
        return [.. header, .. payload];
    }

    /// <summary>A data set with a detached payload: the envelope, and the (encrypted) payload the manifest's uri names (uriFor gets the payload bytes).</summary>
    public (byte[] Envelope, byte[] Payload) DetachedDataSet(byte[] image, long sequence, Func<byte[], string> uriFor, bool encrypt = false, Recipients recipients = Recipients.MasterSecret) =>
        Build(image, sequence, encrypt, null, null, "deploy", recipients, uriFor);

    /// <summary>Firmware and application in one data set (SuitPairBuilder): the envelope; the payloads are the images themselves at uriFor(component).</summary>
    public byte[] PairDataSet(byte[] firmware, byte[] app, long sequence, Func<string, string> uriFor) =>
        BuildPair(firmware, app, sequence, uriFor, null).Envelope;

    /// <summary>An encrypted pair: each image under its own content key and IV; the payloads at uriFor(component) are the ciphertexts.</summary>
    public (byte[] Envelope, byte[] Firmware, byte[] App) EncryptedPairDataSet(byte[] firmware, byte[] app, long sequence, Func<string, string> uriFor, Recipients recipients) =>
        BuildPair(firmware, app, sequence, uriFor, recipients);

    private (byte[] Envelope, byte[] Firmware, byte[] App) BuildPair(byte[] firmware, byte[] app, long sequence, Func<string, string> uriFor, Recipients? encrypt)
    {
        using var sha = new DotNetSha256();
        byte[]? info0 = null, info1 = null;
        var payload0 = encrypt is { } r0 ? Encrypt(sha, firmware, ClassId, r0, out info0) : firmware;
        var payload1 = encrypt is { } r1 ? Encrypt(sha, app, ClassId, r1, out info1) : app;
        var spec = new SuitManifestSpec
        {
            SequenceNumber = sequence, Component = "nanoclr", VendorId = VendorId, ClassId = ClassId,
            ImageDigest = SHA256.HashData(firmware), ImageSize = firmware.Length, Version = "2." + sequence + ".0",
            PayloadKey = null, DetachedUri = uriFor("nanoclr"), EncryptionInfo = info0,
            Second = new SuitImageSpec { Component = "deploy", ImageDigest = SHA256.HashData(app), ImageSize = app.Length, DetachedUri = uriFor("deploy"), EncryptionInfo = info1 },
        };
        var manifest = SuitBuilder.BuildManifest(spec);
        var signature = VendorKey.SignData(SuitBuilder.ToBeSigned(sha, manifest), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return (SuitBuilder.BuildEnvelopeHeader(sha, manifest, signature, null, 0), payload0, payload1);
    }

    // The image under a fresh content key and IV, wrapped for the chosen recipients; info = the encryption info.
    private byte[] Encrypt(DotNetSha256 sha, byte[] image, byte[] cls, Recipients recipients, out byte[] info)
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        var cek = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var aes = new ManagedAesFactory();
        var list = new List<CoseRecipient>();
        if (recipients != Recipients.EsDh) list.Add(SuitPayloadCipher.KeyWrapRecipient(aes, sha, MasterSecret, cls, salt, cek));
        if (recipients != Recipients.MasterSecret)
        {
            using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            var q = ephemeral.ExportParameters(false).Q;
            list.Add(SuitPayloadCipher.EcdhRecipient(aes, sha, ephemeral.DeriveRawSecretAgreement(ClassKey.PublicKey), q.X!, q.Y!, cek));
        }
        info = SuitPayloadCipher.Seal(aes, list.ToArray(), cek, iv, out var encryptor).Encode();
        var payload = (byte[])image.Clone();
        encryptor.Transform(payload, 0, payload.Length);
        return payload;
    }

    private (byte[] Header, byte[] Payload) Build(byte[] image, long sequence, bool encrypt, byte[]? classId, ECDsa? key, string component, Recipients recipients, Func<byte[], string>? uriFor,
        long[]? requiresFirmware = null)
    {
        using var sha = new DotNetSha256();
        var cls = classId ?? ClassId;
        byte[]? encryptionInfo = null;
        var payload = encrypt ? Encrypt(sha, image, cls, recipients, out encryptionInfo) : (byte[])image.Clone();
        var spec = new SuitManifestSpec
        {
            SequenceNumber = sequence, Component = component, VendorId = VendorId, ClassId = cls,
            ImageDigest = SHA256.HashData(image), ImageSize = image.Length, Version = "1." + sequence + ".0",
            EncryptionInfo = encryptionInfo, RequiresFirmware = requiresFirmware,
        };
        if (uriFor is not null)
        {
            spec.PayloadKey = null;
            spec.DetachedUri = uriFor(payload);
        }
        var manifest = SuitBuilder.BuildManifest(spec);
        var signature = (key ?? VendorKey).SignData(SuitBuilder.ToBeSigned(sha, manifest), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return (SuitBuilder.BuildEnvelopeHeader(sha, manifest, signature, spec.PayloadKey, payload.Length), payload);
    }

    /// <summary>
    /// Sectors of the header region a test data set's header takes: one ([length][header] up to a sector;
    /// StagingWriter.EraseHeader erases only those).
    /// </summary>
    public const int HeaderSectors = 1;

    /// <summary>Sector erases of a fresh staging of an image this big: the gap/journal sector, the image's sectors, the header's sector.</summary>
    public static int StagingErases(int imageSize) => 1 + (imageSize + Sector - 1) / Sector + HeaderSectors;

    /// <summary>
    /// The staging flash operations (each erased sector counts, as StrictRamFlash counts them) of a fresh
    /// staging of an image this big before chunk `chunk`'s image write (its journal slot is the next one):
    /// the header's sector, the gap sector and the image's first 64 KiB block erased together, the journal
    /// header, the envelope header's body (StagingWriter.WriteHeaderBody: its whole write units, then a
    /// ragged tail); then per chunk the block erased ahead when the writes reach it
    /// (StagingWriter.EraseAheadBlock), the image write and, every ResumeJournal.ChunksPerRecord chunks, the
    /// journal slot. chunk = the number of chunks:
    /// the envelope header's first unit (its length), the commit.
    /// </summary>
    public static int OperationsBeforeChunk(byte[] dataSet, int imageSize, int chunk)
    {
        const int block = SecureOta.Agent.Update.Staging.StagingWriter.EraseAheadBlock;
        int range = Sector + (imageSize + Sector - 1) / Sector * Sector;
        int erasedTo = Math.Min(block, range);
        int ops = HeaderSectors + erasedTo / Sector + 1 + HeaderBodyWrites(HeaderLength(dataSet));
        for (int c = 0; c <= chunk; c++)
        {
            int end = Math.Min(Sector + (c + 1) * Sector, range);
            if (end > erasedTo)
            {
                int next = Math.Min((erasedTo / block + 1) * block, range);
                ops += (next - erasedTo) / Sector;
                erasedTo = next;
            }
            // The image write, then a journal slot where the chunks written reach a multiple of ResumeJournal.ChunksPerRecord.
            if (c < chunk) ops += 1 + (Math.Min((c + 1) * Sector, imageSize) / Sector % SecureOta.Agent.Update.Staging.ResumeJournal.ChunksPerRecord == 0 ? 1 : 0);
        }
        return ops;
    }

    /// <summary>The envelope header's length in a data set (or an envelope with detached payloads).</summary>
    public static int HeaderLength(byte[] dataSet)
    {
        var r = SuitEnvelopeReader.Read(dataSet, Math.Min(dataSet.Length, SuitEnvelopeReader.MaxHeaderLength), dataSet.Length, out var envelope);
        if (!r.IsOk) throw new ArgumentException("not a data set: " + r);
        return envelope.HeaderLength;
    }

    // Writes of the header body at 4-byte alignment: the first unit is the length alone, so the body is
    // the whole header, in whole units and a padded tail.
    private static int HeaderBodyWrites(int headerLength) =>
        (headerLength >= BoardFlash.WriteAlignment ? 1 : 0) + (headerLength % BoardFlash.WriteAlignment != 0 ? 1 : 0);

    public static byte[] Image(int size, int seed)
    {
        var image = new byte[size];
        new Random(seed).NextBytes(image);
        return image;
    }

    public byte[] StagedImage(int length)
    {
        var b = new byte[length];
        Staging.Read(Sector, b, 0, length);
        return b;
    }

    public void Dispose()
    {
        VendorKey.Dispose();
        ClassKey.Dispose();
    }
}

/// <summary>
/// A data set served from memory, optionally cut off after some bytes (a dropped download); with a
/// validator (an ETag) it can also continue at any position, like a resumable HTTP download.
/// </summary>
public sealed class MemorySource(byte[] data, long failAfter = -1, string? validator = null) : IByteSource
{
    private int _position;

    public long Length => data.Length;

    /// <summary>Bytes handed out (what a download would have transferred).</summary>
    public long BytesServed { get; private set; }

    public string? Validator => validator;

    public bool SeekTo(long position)
    {
        if (validator is null || position < 0 || position > data.Length) return false;
        _position = (int)position;
        return true;
    }

    public int FailureCode => 0;

    public string FailureMessage => "the test source was cut at byte " + failAfter;

    public int Read(byte[] buffer, int offset, int count)
    {
        if (failAfter >= 0 && _position >= failAfter) return -1;
        int n = Math.Min(count, data.Length - _position);
        if (failAfter >= 0) n = (int)Math.Min(n, failAfter - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        BytesServed += n;
        return n;
    }
}
