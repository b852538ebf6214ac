using System.CommandLine;
using SecureOta.Pkcs11;

namespace SecureOta.UpdateTool.Cli;

/// <summary>
/// The options that name a PKCS#11 token (docs/hsm.md): the module, the token's label, and where the
/// user PIN comes from (SECURE_OTA_TOKEN_PIN, or --pin-file; never an argument).
/// </summary>
public sealed class TokenOptions
{
    public Option<string> Module { get; } = new("--pkcs11-module") { Description = "PKCS#11 module (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so; an HSM's own library)" };
    public Option<string> TokenLabel { get; } = new("--token-label") { Description = "Label of the token that holds the vendor keys" };
    public Option<string> PinFile { get; } = new("--pin-file") { Description = "File whose first line is the token's user PIN (default: the SECURE_OTA_TOKEN_PIN environment variable)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Module);
        command.Options.Add(TokenLabel);
        command.Options.Add(PinFile);
    }

    public bool Given(ParseResult parse) => parse.GetValue(Module) is not null || parse.GetValue(TokenLabel) is not null;

    /// <summary>Opens the token, or explains which option is missing; token failures become one-line user errors.</summary>
    public Pkcs11Token Open(ParseResult parse)
    {
        var module = parse.GetValue(Module) ?? throw new UserError("--pkcs11-module PATH is needed with a token key");
        var label = parse.GetValue(TokenLabel) ?? throw new UserError("--token-label LABEL is needed with a token key");
        try
        {
            return Pkcs11Token.Open(module, label, TokenPin.Read(parse.GetValue(PinFile)));
        }
        catch (TokenException e)
        {
            throw new UserError(e.Message);
        }
    }
}
