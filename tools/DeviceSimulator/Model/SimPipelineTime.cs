using SecureOta.Agent.Update.Flow;

namespace SecureOta.DeviceSimulator.Model;

/// <summary>The agent's pipeline time on a modeled board: the reader thread's lane in the board's DeviceTime.</summary>
public sealed class SimPipelineTime(DeviceTime time) : IPipelineTime
{
    public void Producing() => time.EnterLane();

    public long Stamp() => time.Stamp();

    public void WaitUntil(long stamp) => time.WaitUntil(stamp);
}
