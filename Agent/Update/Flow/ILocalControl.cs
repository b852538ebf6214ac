namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// The board's local side of an update (issue 18): the consent trigger an on-consent install waits
    /// for (a button held, or a call the application makes) and the signals the agent gives locally, for
    /// an LED or a log: waiting for consent, waiting for the window, update channel blocked. Ours, so the
    /// ESP32 adapter (a GPIO pin, Agent/Update/Esp32/GpioConsentButton.cs) and the host twin's stand in.
    /// </summary>
    public interface ILocalControl
    {
        /// <summary>Whether the local trigger says "install now" (read each cycle; never waits).</summary>
        bool ConsentGiven();

        /// <summary>A local signal (the Signal* constants of LocalSignal) with one line for a log; never a secret.</summary>
        void Signal(int signal, string message);
    }
}
