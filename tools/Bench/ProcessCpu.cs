namespace SecureOta.Bench;

/// <summary>
/// CPU time (user + system) a process and its direct children have used so far, from /proc/PID/stat
/// (proc(5): fields 14 utime and 15 stime, in clock ticks; a child's are its own, nginx's workers are the
/// master's children). Linux only, as the benchmarks' servers are.
/// </summary>
public static class ProcessCpu
{
    /// <summary>sysconf(_SC_CLK_TCK) is 100 on every Linux the project runs on (the kernel's USER_HZ).</summary>
    private const double TicksPerSecond = 100;

    public static double Seconds(int pid) =>
        Own(pid) + Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsAsciiDigit))
            .Select(int.Parse).Where(child => Parent(child) == pid).Sum(Own);

    private static double Own(int pid)
    {
        var fields = Fields(pid);
        return fields is null ? 0 : (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    }

    private static int Parent(int pid) => Fields(pid) is { } f ? int.Parse(f[1]) : -1;

    // The fields after the command name (which is in parentheses and may hold spaces): field 3 (state) first.
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null; // the process ended
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
