using System.CommandLine;
using System.Security.Cryptography;
using SecureOta.UpdateTool.Keys;

namespace SecureOta.UpdateTool.Cli;

/// <summary>`keygen --out NAME`: a P-256 key pair as NAME.key.pem (PKCS#8) and NAME.pub.pem (SPKI).</summary>
public static class KeygenCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Base name: writes NAME.key.pem and NAME.pub.pem", Required = true };
        var secret = new Option<bool>("--master-secret") { Description = "Also write NAME.master.hex: a new 32-byte update master secret" };
        var force = new Option<bool>("--force") { Description = "Overwrite existing files" };
        var command = new Command("keygen", "Generate the vendor's P-256 signing key pair (and optionally an update master secret)");
        command.Options.Add(output);
        command.Options.Add(secret);
        command.Options.Add(force);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var name = parse.GetValue(output)!;
            var privatePath = name + ".key.pem";
            var publicPath = name + ".pub.pem";
            var secretPath = name + ".master.hex";
            var targets = parse.GetValue(secret) ? new[] { privatePath, publicPath, secretPath } : new[] { privatePath, publicPath };
            if (!parse.GetValue(force))
                foreach (var t in targets.Where(File.Exists))
                    throw new UserError($"{t} exists; refusing to overwrite a key (use --force if you mean it)");
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            KeyFiles.WriteKeyPair(key, privatePath, publicPath);
            Console.WriteLine($"wrote {privatePath} (private, PKCS#8 P-256; keep it in an HSM or offline) and {publicPath}");
            if (parse.GetValue(secret))
            {
                MasterSecretFile.WriteNew(secretPath);
                Console.WriteLine($"wrote {secretPath} (update master secret; provision it into each device's security chip, never onto the device's flash)");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
