using System.Diagnostics;

namespace SecureOta.UpdateServer.Tests;

/// <summary>The published out/bin/update-server (make build) as an operator starts it: its own process, its output read.</summary>
public static class ServerCommand
{
    public static string Path()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = System.IO.Path.Combine(dir.FullName, "out", "bin", "update-server");
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException("out/bin/update-server is missing: run make build first");
    }

    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(Path()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("UPDATE_SERVER_ADMIN_TOKEN");
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>The address the server reports ("Now listening on: SCHEME://127.0.0.1:PORT"), within 30 s; its output is drained afterwards, into log when given.</summary>
    public static async Task<string> ListeningUrl(Process p, string scheme, System.Text.StringBuilder? log = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (line is null) break;
            if (log is not null) lock (log) log.AppendLine(line);
            var address = System.Text.RegularExpressions.Regex.Match(line, scheme + @"://127\.0\.0\.1:[0-9]+");
            if (address.Success && line.Contains("listening", StringComparison.OrdinalIgnoreCase))
            {
                if (log is null)
                {
                    _ = p.StandardOutput.ReadToEndAsync();
                    _ = p.StandardError.ReadToEndAsync();
                }
                else
                {
                    foreach (var stream in new[] { p.StandardOutput, p.StandardError })
                        _ = Task.Run(async () =>
                        {
                            while (await stream.ReadLineAsync() is { } more)
                                lock (log) log.AppendLine(more);
                        });
                }
                return address.Value;
            }
        }
        throw new TimeoutException($"update-server did not report a {scheme} address within 30 s: {await p.StandardError.ReadToEndAsync()}");
    }
}
