namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// Told by the update engine when a data set passed every check (chip-verified signature, ids,
    /// sequence, size) and staging is about to be written, so the agent can report "verified".
    /// </summary>
    public interface IStageObserver
    {
        void Verified(long sequence, long imageSize);
    }
}
