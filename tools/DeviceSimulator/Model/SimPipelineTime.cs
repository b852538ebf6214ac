using SecureOta.Agent.Update.Flow;

namespace SecureOta.DeviceSimulator.Model;

/// <summary>The agent's pipeline time on a modeled board: a second thread's lane (the download's reader, a background report) in the board's DeviceTime.</summary>
public sealed class SimPipelineTime(DeviceTime time) : IPipelineTime
{
    public void Producing(long start) => time.EnterLane(start);

    public long Stamp() => time.Stamp();

    public void WaitUntil(long stamp) => time.WaitUntil(stamp);
}
