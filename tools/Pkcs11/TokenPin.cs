namespace SecureOta.Pkcs11;

/// <summary>
/// Where a token PIN comes from: the environment variable SECURE_OTA_TOKEN_PIN, or a file given with
/// --pin-file (its first line). Never a command-line argument: arguments are visible to every user of
/// the machine (ps, /proc) and land in shell histories.
/// </summary>
public static class TokenPin
{
    public const string Variable = "SECURE_OTA_TOKEN_PIN";

    public static string Read(string? pinFile, string variable = Variable)
    {
        if (pinFile is not null)
        {
            if (!File.Exists(pinFile)) throw new TokenException($"{pinFile}: no such PIN file");
            var line = File.ReadLines(pinFile).FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(line)) throw new TokenException($"{pinFile}: the PIN file is empty");
            return line;
        }
        var pin = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(pin))
            throw new TokenException($"no token PIN: set {variable} or pass --pin-file FILE (a PIN is never taken as an argument)");
        return pin;
    }
}
