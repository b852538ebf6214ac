namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// The simulated board lost power: thrown from the flash model at the torn operation so the agent
/// stops where it is (no report, no clean-up), as a CPU without power would.
/// </summary>
public sealed class PowerLossException(string where) : Exception("power lost during " + where);
