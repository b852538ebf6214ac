namespace SecureOta.Agent.Update.Api
{
    /// <summary>What check-in offers to install (docs/device-api.md section 3): where, how big, which sequence, when to install.</summary>
    public sealed class UpdateOffer
    {
        public string Url;
        public long Size;
        public long Sequence;
        public string Version;

        /// <summary>When it may be installed (update.install; automatic when the server names none).</summary>
        public SecureOta.Agent.Update.Flow.InstallPolicy Install;
    }
}
