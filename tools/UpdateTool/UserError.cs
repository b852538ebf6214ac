namespace SecureOta.UpdateTool;

/// <summary>
/// A problem with what the user gave us (a file, a key, an option). Program prints its message as one
/// line, "update-tool: error: ...", and exits with ExitCode; never a stack trace.
/// </summary>
public sealed class UserError(string message, int exitCode = ExitCodes.BadInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
