namespace SecureOta.UpdateTool.Cli;

/// <summary>
/// Runs a command body so that a user mistake prints one line ("update-tool: error: what, where,
/// what to do") and a specific exit code, and an unexpected failure never shows a stack trace.
/// </summary>
public static class CommandRunner
{
    public const int InternalError = 70;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UserError e)
        {
            Console.Error.WriteLine("update-tool: error: " + e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("update-tool: error: " + e.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"update-tool: internal error ({e.GetType().Name}): {e.Message}; please report this with the command line used");
            return InternalError;
        }
    }
}
