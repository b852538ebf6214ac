using SecureOta.Agent.Update.Flow;
using SecureOta.DeviceSimulator.Model;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// The board's local control in the simulator (ILocalControl, issue 18): its consent trigger is the
/// operator, who gives consent a set time after the board first said it waits (modeled clock), or never;
/// its signals go to the board's log and result, as an LED or a log line would on the board. The
/// operator's decision lives outside the board (it survives the board's power cuts); the seam is
/// recreated at each power-on, as the application's RAM is.
/// </summary>
public sealed class SimLocalControl(SimOperator person, DeviceTime time, Action<int, string> signalled) : ILocalControl
{
    public bool ConsentGiven() => person.ConsentAt is { } at && time.Clock.NowMicroseconds >= at;

    public void Signal(int signal, string message)
    {
        if (signal == LocalSignal.WaitingForConsent) person.AskedAt(time.Clock.NowMicroseconds);
        signalled(signal, message);
    }
}

/// <summary>The person at the machine: consents ConsentAfterSeconds after first asked (modeled), or never when negative.</summary>
public sealed class SimOperator(int consentAfterSeconds)
{
    public long? ConsentAt { get; private set; }

    public void AskedAt(long nowMicroseconds)
    {
        if (ConsentAt is null && consentAfterSeconds >= 0) ConsentAt = nowMicroseconds + consentAfterSeconds * 1_000_000L;
    }
}
