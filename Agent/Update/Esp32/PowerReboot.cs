using nanoFramework.Runtime.Native;
using SecureOta.Agent.Update.Flow;

namespace SecureOta.Agent.Update.Esp32
{
    /// <summary>Hands over to the boot stage: a full reset of the board (the boot stage runs on every reset).</summary>
    public sealed class PowerReboot : IReboot
    {
        public void Reboot()
        {
            Power.RebootDevice();
        }
    }
}
