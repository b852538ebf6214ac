using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.Pkcs11;
using SecureOta.UpdateTool.Keys;

namespace SecureOta.UpdateTool.Cli;

/// <summary>
/// `token`: the key ceremony on a PKCS#11 token (docs/hsm.md).
///   token init          make the token (SO PIN from SECURE_OTA_TOKEN_SO_PIN or --so-pin-file, user PIN as usual)
///   token keygen        a P-256 key pair inside the token (the vendor signing key, the device CA key); the public key as PEM
///   token master-secret the update master secret inside the token (generated, or --import FILE once)
///   token ca            a self-signed device CA certificate for a token key
/// </summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "Key ceremony on a PKCS#11 token: init, keygen, master-secret, ca");
        command.Subcommands.Add(Init());
        command.Subcommands.Add(Keygen());
        command.Subcommands.Add(MasterSecret());
        command.Subcommands.Add(Ca());
        return command;
    }

    private static Command Init()
    {
        var token = new TokenOptions();
        var soPinFile = new Option<string>("--so-pin-file") { Description = "File with the security officer PIN (default: SECURE_OTA_TOKEN_SO_PIN)" };
        var command = new Command("init", "Initialise a token in a free slot (SoftHSM2 keeps one) and set its user PIN");
        token.AddTo(command);
        command.Options.Add(soPinFile);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var module = parse.GetValue(token.Module) ?? throw new UserError("--pkcs11-module PATH is required");
            var label = parse.GetValue(token.TokenLabel) ?? throw new UserError("--token-label LABEL is required");
            try
            {
                Pkcs11Token.InitToken(module, label, TokenPin.Read(parse.GetValue(soPinFile), "SECURE_OTA_TOKEN_SO_PIN"), TokenPin.Read(parse.GetValue(token.PinFile)));
            }
            catch (TokenException e) { throw new UserError(e.Message); }
            Console.WriteLine($"token '{label}' initialised");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Keygen()
    {
        var token = new TokenOptions();
        var keyLabel = new Option<string>("--key-label") { Description = "Label of the new key pair", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the public key (PEM)", Required = true };
        var personalisation = new Option<bool>("--for-personalisation") { Description = "The class key-agreement key: may leave the token wrapped, for the chip maker to personalise Trust X chips (without it, never)" };
        var command = new Command("keygen", "Generate a P-256 key pair inside the token (not extractable); write its public key");
        token.AddTo(command);
        command.Options.Add(keyLabel);
        command.Options.Add(output);
        command.Options.Add(personalisation);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            using var t = token.Open(parse);
            ECParameters pub;
            try { pub = t.GenerateEcKey(parse.GetValue(keyLabel)!, parse.GetValue(personalisation)); }
            catch (TokenException e) { throw new UserError(e.Message); }
            using var key = ECDsa.Create(pub);
            File.WriteAllText(parse.GetValue(output)!, key.ExportSubjectPublicKeyInfoPem() + "\n");
            Console.WriteLine($"generated '{parse.GetValue(keyLabel)}' in token '{t.TokenLabel}'; public key in {parse.GetValue(output)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command MasterSecret()
    {
        var token = new TokenOptions();
        var label = new Option<string>("--label") { Description = "Label of the master secret in the token", Required = true };
        var import = new Option<string>("--import") { Description = "Import an existing master secret file once (hex); destroy the file afterwards" };
        var provisioning = new Option<bool>("--for-provisioning") { Description = "Allow the factory station to take it out wrapped, to write it into Trust M chips (without it, it never leaves the token)" };
        var command = new Command("master-secret", "Generate (or import once) the update master secret inside the token");
        token.AddTo(command);
        command.Options.Add(label);
        command.Options.Add(import);
        command.Options.Add(provisioning);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            using var t = token.Open(parse);
            try
            {
                if (parse.GetValue(import) is { } file)
                {
                    var value = MasterSecretFile.Read(file);
                    t.ImportSecret(parse.GetValue(label)!, value, parse.GetValue(provisioning));
                    CryptographicOperations.ZeroMemory(value);
                    Console.WriteLine($"imported the master secret as '{parse.GetValue(label)}'; now destroy {file} (shred -u {file})");
                }
                else
                {
                    t.GenerateSecret(parse.GetValue(label)!, parse.GetValue(provisioning));
                    Console.WriteLine($"generated the master secret '{parse.GetValue(label)}' inside token '{t.TokenLabel}'");
                }
            }
            catch (TokenException e) { throw new UserError(e.Message); }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Ca()
    {
        var token = new TokenOptions();
        var keyLabel = new Option<string>("--key-label") { Description = "The CA's key pair in the token (token keygen)", Required = true };
        var subject = new Option<string>("--subject") { Description = "The CA's name", DefaultValueFactory = _ => "CN=Secure OTA device CA" };
        var years = new Option<int>("--years") { Description = "Validity in years", DefaultValueFactory = _ => 20 };
        var output = new Option<string>("--out") { Description = "Where to write the CA certificate (PEM)", Required = true };
        var command = new Command("ca", "A self-signed device CA certificate for a key in the token (the factory station issues device certificates with it)");
        token.AddTo(command);
        foreach (var o in new Option[] { keyLabel, subject, years, output }) command.Options.Add(o);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            using var t = token.Open(parse);
            try
            {
                var generator = new TokenSignatureGenerator(t, parse.GetValue(keyLabel)!);
                var name = new X500DistinguishedName(parse.GetValue(subject)!);
                var request = new CertificateRequest(name, generator.PublicKey, HashAlgorithmName.SHA256);
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
                request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
                request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(generator.PublicKey, false));
                using var cert = request.Create(name, generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(parse.GetValue(years)), RandomNumberGenerator.GetBytes(12));
                File.WriteAllText(parse.GetValue(output)!, cert.ExportCertificatePem() + "\n");
                Console.WriteLine($"wrote {parse.GetValue(output)}: {cert.Subject}, SHA-256 {cert.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant()}");
            }
            catch (TokenException e) { throw new UserError(e.Message); }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
