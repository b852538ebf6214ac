using System.CommandLine;
using SecureOta.UpdateTool.DataSets;
using SecureOta.UpdateTool.Keys;

namespace SecureOta.UpdateTool.Cli;

/// <summary>
/// `verify FILE --pub KEY [--master-secret FILE] [--class-key PEM] [--image FILE]`: exit 0 only if every check passes;
/// otherwise 10 + the SuitError value and one line saying what failed and where.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Data set (.suit)" };
        var pub = new Option<string>("--pub") { Description = "Vendor public key (PEM)", Required = true };
        var secret = new Option<string>("--master-secret") { Description = "Update master secret: decrypt and check an encrypted payload" };
        var masterLabel = new Option<string>("--master-label") { Description = "The update master secret in a token (with --pkcs11-module, --token-label): decrypt and check" };
        var token = new TokenOptions();
        var classKeyLabel = new Option<string>("--class-key-label") { Description = "The class key in a token (made --for-personalisation): decrypt through the ES-DH recipient" };
        var classKey = new Option<string>("--class-key") { Description = "The class's key-agreement private key (PEM): decrypt through the ES-DH recipient" };
        var image = new Option<string>("--image") { Description = "The payload file of a data set with a detached payload (of a two-component data set: the firmware)" };
        var deployImage = new Option<string>("--deploy-image") { Description = "The application's payload file of a two-component data set" };
        var command = new Command("verify", "Verify signature, manifest, payload digest and size (and decryption) like a device would");
        command.Arguments.Add(file);
        command.Options.Add(pub);
        command.Options.Add(secret);
        command.Options.Add(classKey);
        command.Options.Add(masterLabel);
        command.Options.Add(classKeyLabel);
        token.AddTo(command);
        command.Options.Add(image);
        command.Options.Add(deployImage);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            using var key = KeyFiles.ReadPublicKey(parse.GetValue(pub)!);
            using var opened = parse.GetValue(masterLabel) is not null || parse.GetValue(classKeyLabel) is not null ? token.Open(parse) : null;
            IKekSource? master = parse.GetValue(secret) is { } s ? new FileKekSource(MasterSecretFile.Read(s))
                : parse.GetValue(masterLabel) is { } label ? new TokenKekSource(opened!, label) : null;
            var path = parse.GetValue(file)!;
            System.Security.Cryptography.ECParameters? cls = null;
            if (parse.GetValue(classKey) is { } classPath)
            {
                using var k = KeyFiles.ReadPrivateKey(classPath);
                cls = k.ExportParameters(true);
            }
            else if (parse.GetValue(classKeyLabel) is { } classLabel)
            {
                using var k = System.Security.Cryptography.ECDiffieHellman.Create();
                try { k.ImportPkcs8PrivateKey(opened!.ExportPrivateKeyForPersonalisation(classLabel), out _); }
                catch (Pkcs11.TokenException e) { throw new UserError(e.Message); }
                cls = k.ExportParameters(true);
            }
            var outcome = DataSetVerifier.Verify(path, key, master, parse.GetValue(image), cls, parse.GetValue(deployImage));
            if (outcome.Ok) Console.WriteLine($"{path}: OK: {outcome.Message}");
            else if (outcome.ExitCode == ExitCodes.Incomplete) Console.WriteLine($"{path}: INCOMPLETE: {outcome.Message}");
            else Console.Error.WriteLine($"{path}: FAILED ({outcome.Stage}): {outcome.Message}");
            return outcome.ExitCode;
        }));
        return command;
    }
}
