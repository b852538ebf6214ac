namespace SecureOta.UpdateServer.Api;

/// <summary>
/// The device ids the server registers (docs/update-server.md, "Device ids"; issue 17, S5): 1 to 64 of
/// A-Z a-z 0-9 . _ -, starting with a letter or digit. Such an id is one URL path segment as it is, a
/// Location header value, a file-name-safe log token; "." and ".." and control or non-ASCII characters
/// are impossible.
/// </summary>
public static class DeviceIds
{
    public const int MaxLength = 64;
    public const string Rule = "id: 1 to 64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit";

    public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength || !char.IsAsciiLetterOrDigit(id[0])) return false;
        foreach (var c in id)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-')) return false;
        return true;
    }
}
