using System.CommandLine;
using System.Text.RegularExpressions;
using SecureOta.Core.Suit;
using SecureOta.UpdateTool.DataSets;
using SecureOta.UpdateTool.Keys;

namespace SecureOta.UpdateTool.Cli;

/// <summary>`create`: build and sign a data set from an image (or leave it unsigned for an external signer).</summary>
public static partial class CreateCommand
{
    public static Command Create()
    {
        var key = new Option<string>("--key") { Description = "Vendor private key (PEM, P-256)" };
        var keyLabel = new Option<string>("--key-label") { Description = "Label of the vendor signing key in the token (with --pkcs11-module, --token-label): ES256 inside the token" };
        var masterLabel = new Option<string>("--master-label") { Description = "Label of the update master secret in the token (with --encrypt): the KEK is derived inside the token" };
        var token = new TokenOptions();
        var unsigned = new Option<bool>("--unsigned") { Description = "Write an unsigned data set for an external signer (see 'sign')" };
        var image = new Option<string>("--image") { Description = "The plaintext image file", Required = true };
        var sequence = new Option<long>("--sequence") { Description = "Manifest sequence number: must increase with every release (anti-rollback)", Required = true };
        var version = new Option<string>("--version") { Description = "Human version string, e.g. 1.4.2", Required = true };
        var vendorId = new Option<string>("--vendor-id") { Description = "Vendor UUID" };
        var vendorDomain = new Option<string>("--vendor-domain") { Description = "Vendor domain; vendor-id = UUID5(DNS, domain)" };
        var classId = new Option<string>("--class-id") { Description = "Device class UUID" };
        var className = new Option<string>("--class-name") { Description = "Device class name; class-id = UUID5(vendor-id, name)" };
        var component = new Option<string>("--component") { Description = "Target: deploy (managed application) or nanoclr (firmware)", Required = true };
        component.AcceptOnlyFromAmong(DataSetLimits.Components);
        var encrypt = new Option<bool>("--encrypt") { Description = "Encrypt the image (AES-128-CTR; the content key wrapped for each recipient: --master-secret and/or --class-pub)" };
        var masterSecret = new Option<string>("--master-secret") { Description = "Update master secret file (with --encrypt): a recipient for Trust M chips" };
        var classPub = new Option<string>("--class-pub") { Description = "The class's key-agreement public key (PEM, P-256; with --encrypt): an ES-DH recipient for Trust X chips" };
        var maxSize = new Option<long>("--max-image-size") { Description = "Refuse images larger than this many bytes", DefaultValueFactory = _ => DataSetLimits.DefaultMaxImageSize };
        var output = new Option<string>("--out") { Description = "Output data set file (.suit)", Required = true };
        var payloadUri = new Option<string>("--payload-uri") { Description = "Detach the payload: the device fetches it from this absolute http(s) URI after verifying the manifest; {sha256} is replaced by the payload file's SHA-256 (the server's /payloads/{sha256})" };
        var deployImage = new Option<string>("--deploy-image") { Description = "With --component nanoclr: the application image released with this firmware, installed together atomically (both payloads detached: {component} in --payload-uri/--payload-out)" };
        var severable = new Option<bool>("--severable-text") { Description = "Sever the text (manifest-37 8.4.4, SHOULD): the manifest carries its digest, the envelope the text as member 23" };
        var requiresFirmware = new Option<string>("--requires-firmware") { Description = "With --component deploy: the firmware (nanoCLR) version the board must run at least, e.g. 1.12.0 (1 to 4 numbers, as nanoFramework's SystemInfo.Version); a board with an older firmware refuses the data set before it writes anything" };
        var payloadOut = new Option<string>("--payload-out") { Description = "With --payload-uri: where to write the (encrypted) payload to upload or serve" };

        var command = new Command("create", "Build a data set: SUIT manifest + (optionally encrypted) image, signed with the vendor key");
        foreach (var o in new Option[] { key, unsigned, image, sequence, version, vendorId, vendorDomain, classId, className, component, encrypt, masterSecret, classPub, maxSize, output, payloadUri, payloadOut, severable, deployImage, requiresFirmware, keyLabel, masterLabel })
            command.Options.Add(o);
        token.AddTo(command);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string? keyPath = parse.GetValue(key);
            string? tokenKey = parse.GetValue(keyLabel);
            bool isUnsigned = parse.GetValue(unsigned);
            if ((keyPath is null ? 0 : 1) + (tokenKey is null ? 0 : 1) + (isUnsigned ? 1 : 0) != 1)
                throw new UserError("give exactly one of --key KEY (sign now), --key-label LABEL (sign in the token) or --unsigned (sign later with 'sign')");
            using var opened = tokenKey is not null || parse.GetValue(masterLabel) is not null ? token.Open(parse) : null;
            var (vendor, domain) = Identity.Vendor(parse.GetValue(vendorId), parse.GetValue(vendorDomain));
            var (cls, name) = Identity.Class(vendor, parse.GetValue(classId), parse.GetValue(className));
            long seq = parse.GetValue(sequence);
            if (seq < 0) throw new UserError($"--sequence {seq}: must not be negative");
            string ver = parse.GetValue(version)!;
            if (!VersionPattern().IsMatch(ver)) throw new UserError($"--version '{ver}': expected X.Y.Z (optionally -suffix), e.g. 1.4.2");
            IKekSource? secret = null;
            System.Security.Cryptography.ECParameters? classKey = null;
            if (parse.GetValue(encrypt))
            {
                if (parse.GetValue(masterSecret) is null && parse.GetValue(masterLabel) is null && parse.GetValue(classPub) is null)
                    throw new UserError("--encrypt needs a recipient: --master-secret FILE or --master-label LABEL (Trust M), --class-pub PEM (Trust X), or both for a mixed fleet");
                if (parse.GetValue(masterSecret) is not null && parse.GetValue(masterLabel) is not null)
                    throw new UserError("give the master secret once: --master-secret FILE or --master-label LABEL");
                if (parse.GetValue(masterSecret) is { } secretPath) secret = new FileKekSource(MasterSecretFile.Read(secretPath));
                if (parse.GetValue(masterLabel) is { } label) secret = new TokenKekSource(opened!, label);
                if (parse.GetValue(classPub) is { } pubPath)
                {
                    using var k = KeyFiles.ReadPublicKey(pubPath);
                    classKey = k.ExportParameters(false);
                }
            }
            else if (parse.GetValue(masterSecret) is not null || parse.GetValue(masterLabel) is not null || parse.GetValue(classPub) is not null)
                throw new UserError("--master-secret, --master-label and --class-pub are only used with --encrypt");

            if (parse.GetValue(severable) && isUnsigned)
                throw new UserError("--severable-text needs the signature now (--key or --key-label): 'sign assemble' does not carry a severed text");
            if ((parse.GetValue(payloadUri) is null) != (parse.GetValue(payloadOut) is null))
                throw new UserError("--payload-uri and --payload-out go together: the URI the device fetches and the file to put there");
            if (parse.GetValue(payloadOut) is { } po && Path.GetFullPath(po) == Path.GetFullPath(parse.GetValue(output)!))
                throw new UserError("--payload-out must not be the --out file");
            long[]? required = null;
            if (parse.GetValue(requiresFirmware) is { } rf)
            {
                required = ParseFirmwareVersion(rf);
                if (parse.GetValue(component) != SuitPairBuilder.SecondComponent || parse.GetValue(deployImage) is not null)
                    throw new UserError("--requires-firmware is for an application data set (--component deploy): a firmware data set, or firmware and application together, brings its own firmware");
            }
            var request = new CreateRequest
            {
                ImagePath = parse.GetValue(image)!,
                SequenceNumber = seq,
                Version = ver,
                VendorId = vendor,
                VendorDomain = domain,
                ClassId = cls,
                ClassName = name,
                Component = parse.GetValue(component)!,
                MasterSecret = secret,
                ClassPublicKey = classKey,
                MaxImageSize = parse.GetValue(maxSize),
                OutputPath = parse.GetValue(output)!,
                PayloadUri = parse.GetValue(payloadUri),
                PayloadOutPath = parse.GetValue(payloadOut),
                SeverText = parse.GetValue(severable),
                DeployImagePath = parse.GetValue(deployImage),
                RequiresFirmware = required,
            };
            using var privateKey = keyPath is null ? null : KeyFiles.ReadPrivateKey(keyPath);
            ISigner? signer = privateKey is not null ? new LocalKeySigner(privateKey) : tokenKey is not null ? new Pkcs11Signer(opened!, tokenKey) : null;
            DataSetWriter.Result result;
            try { result = DataSetWriter.Create(request, signer); }
            catch (Pkcs11.TokenException e) { throw new UserError(e.Message); }
            string contents = request.DeployImagePath is not null
                ? $"envelope of firmware and application; payloads in {request.PayloadOutPath}, to serve at {result.PayloadUri}"
                : result.PayloadUri is not null
                ? $"envelope; its {result.ImageSize}-byte {(result.Encrypted ? "encrypted " : "")}payload in {request.PayloadOutPath}, to serve at {result.PayloadUri}"
                : $"{result.HeaderLength}-byte header + {result.ImageSize}-byte {(result.Encrypted ? "encrypted " : "")}image";
            Console.WriteLine($"wrote {request.OutputPath}: {result.FileLength} bytes ({contents}), " +
                $"sequence {seq}, version {ver}, component {request.Component}, vendor-id {Uuid.Format(vendor)}, class-id {Uuid.Format(cls)}" +
                (required is null ? "" : $", requires firmware {DevicePolicy.FormatVersion(required)} or newer") +
                (isUnsigned ? "; UNSIGNED: run 'update-tool sign prepare' next" : ""));
            return ExitCodes.Ok;
        }));
        return command;
    }

    // 1 to 4 dot-separated numbers, each 0..2^31-1: System.Version's parts, which the board compares with.
    private static long[] ParseFirmwareVersion(string text)
    {
        var parts = text.Split('.');
        if (parts.Length < 1 || parts.Length > SuitProfile.MaxDependencyParts
            || !parts.All(p => p.Length is > 0 and <= 10 && p.All(char.IsAsciiDigit) && long.Parse(p) <= int.MaxValue))
            throw new UserError($"--requires-firmware '{text}': expected 1 to {SuitProfile.MaxDependencyParts} numbers separated by dots (each 0..2147483647), e.g. 1.12.0");
        return parts.Select(long.Parse).ToArray();
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex VersionPattern();
}
