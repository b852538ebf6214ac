using System.CommandLine;
using System.Formats.Asn1;
using System.Security.Cryptography;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using SecureOta.UpdateTool.DataSets;
using SecureOta.UpdateTool.Keys;

namespace SecureOta.UpdateTool.Cli;

/// <summary>
/// `sign prepare` / `sign assemble`: signing with a key that never leaves an HSM.
///   1. update-tool create --unsigned ... --out app.unsigned
///   2. update-tool sign prepare app.unsigned --out app.tbs [--digest-out app.sha256]
///      app.tbs holds the exact bytes an ES256 signer signs (e.g. openssl dgst -sha256 -sign);
///      app.sha256 their SHA-256 in hex, for signers that take a digest.
///   3. update-tool sign assemble app.unsigned --signature app.sig --out app.suit [--pub vendor.pub.pem]
///      accepts the signature raw (64 bytes r||s), DER (ECDSA-Sig-Value), or as hex/base64 text of either.
/// </summary>
public static class SignCommand
{
    public static Command Create()
    {
        var command = new Command("sign", "Sign with an external signer (HSM): 'prepare' the bytes to sign, then 'assemble' the signed data set");
        command.Subcommands.Add(Prepare());
        command.Subcommands.Add(Assemble());
        return command;
    }

    private static Command Prepare()
    {
        var input = new Argument<string>("unsigned") { Description = "Data set from 'create --unsigned'" };
        var output = new Option<string>("--out") { Description = "Where to write the bytes to sign (COSE Sig_structure)", Required = true };
        var digestOut = new Option<string>("--digest-out") { Description = "Also write SHA-256 of those bytes as hex" };
        var command = new Command("prepare", "Write the exact bytes an ES256 signer must sign");
        command.Arguments.Add(input);
        command.Options.Add(output);
        command.Options.Add(digestOut);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var parts = UnsignedEnvelope.Read(parse.GetValue(input)!);
            using var sha = new DotNetSha256();
            var tbs = SuitBuilder.ToBeSigned(sha, parts.Manifest);
            File.WriteAllBytes(parse.GetValue(output)!, tbs);
            var digest = SHA256.HashData(tbs);
            if (parse.GetValue(digestOut) is { } d) File.WriteAllText(d, Convert.ToHexString(digest).ToLowerInvariant() + "\n");
            Console.WriteLine($"wrote {parse.GetValue(output)} ({tbs.Length} bytes to sign with ES256; SHA-256 {Convert.ToHexString(digest).ToLowerInvariant()})");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Assemble()
    {
        var input = new Argument<string>("unsigned") { Description = "Data set from 'create --unsigned'" };
        var signature = new Option<string>("--signature") { Description = "Signature file: raw r||s (64 bytes), DER, or hex/base64 text of either", Required = true };
        var publicKey = new Option<string>("--pub") { Description = "Vendor public key: check the signature before writing (recommended)" };
        var output = new Option<string>("--out") { Description = "Signed data set to write", Required = true };
        var command = new Command("assemble", "Put the external signature into the data set");
        command.Arguments.Add(input);
        command.Options.Add(signature);
        command.Options.Add(publicKey);
        command.Options.Add(output);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var unsignedPath = parse.GetValue(input)!;
            var parts = UnsignedEnvelope.Read(unsignedPath);
            var sig = ReadSignature(parse.GetValue(signature)!);
            using var sha = new DotNetSha256();
            if (parse.GetValue(publicKey) is { } pubPath)
            {
                using var pub = KeyFiles.ReadPublicKey(pubPath);
                var tbs = SuitBuilder.ToBeSigned(sha, parts.Manifest);
                if (!pub.VerifyData(tbs, sig, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                    throw new UserError($"{parse.GetValue(signature)}: the signature does not verify with {pubPath} over these bytes; was it made over the output of 'sign prepare' for this file?", ExitCodes.For(SuitError.BadSignature));
            }
            var header = SuitBuilder.BuildEnvelopeHeader(sha, parts.Manifest, sig, parts.PayloadKey, parts.PayloadLength);
            DataSetWriter.WritePayloadFile(parse.GetValue(output)!, header, unsignedPath, null, parts.PayloadOffset < 0 ? 0 : parts.PayloadOffset, parts.PayloadKey is null ? 0 : parts.PayloadLength);
            Console.WriteLine($"wrote {parse.GetValue(output)}" + (parse.GetValue(publicKey) is null ? " (signature not checked: pass --pub or run verify)" : " (signature verified)"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Raw r||s, DER ECDSA-Sig-Value, or either as hex or base64 text.</summary>
    internal static byte[] ReadSignature(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: no such signature file");
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes).Trim();
        if (bytes.Length != 64 && bytes.All(b => b < 0x80) && text.Length > 0)
        {
            if (text.All(Uri.IsHexDigit) && text.Length % 2 == 0) bytes = Convert.FromHexString(text);
            else
            {
                try { bytes = Convert.FromBase64String(text); } catch (FormatException) { }
            }
        }
        if (bytes.Length == 64) return bytes;
        try
        {
            var reader = new AsnReader(bytes, AsnEncodingRules.DER);
            var seq = reader.ReadSequence();
            var r = seq.ReadIntegerBytes().ToArray();
            var s = seq.ReadIntegerBytes().ToArray();
            seq.ThrowIfNotEmpty();
            reader.ThrowIfNotEmpty();
            return [.. Fixed32(r, path), .. Fixed32(s, path)];
        }
        catch (AsnContentException)
        {
            throw new UserError($"{path}: not an ES256 signature ({bytes.Length} bytes): expected 64 raw bytes r||s or a DER ECDSA-Sig-Value");
        }
    }

    private static byte[] Fixed32(byte[] integer, string path)
    {
        var trimmed = integer.SkipWhile(b => b == 0).ToArray();
        if (trimmed.Length > 32) throw new UserError($"{path}: signature integer longer than 32 bytes: not a P-256 signature");
        var fixedBytes = new byte[32];
        trimmed.CopyTo(fixedBytes, 32 - trimmed.Length);
        return fixedBytes;
    }
}
