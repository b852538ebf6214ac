using System.Diagnostics;

namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>
/// The process's resident memory at its highest over a run, sampled (every 0.5 s by FleetRunner): the
/// run's own peak, not the process's lifetime high-water mark, which earlier work in the same process
/// (another benchmark, another test) would set.
/// </summary>
public sealed class PeakMemory
{
    private long _peak;

    public void Sample()
    {
        using var self = Process.GetCurrentProcess();
        _peak = Math.Max(_peak, self.WorkingSet64);
    }

    public double MiB => Math.Round(_peak / (1024.0 * 1024.0), 1);
}
