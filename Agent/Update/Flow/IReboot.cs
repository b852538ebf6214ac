namespace SecureOta.Agent.Update.Flow
{
    /// <summary>Hands control to the boot stage. Device: Power.RebootDevice(); simulator: runs bootsim.</summary>
    public interface IReboot
    {
        void Reboot();
    }
}
