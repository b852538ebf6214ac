namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// Opens a detached payload (docs/data-set-format.md, "Detached payloads"): the image at the uri of an
    /// already authenticated manifest, fetched with the same resumable HTTP download as a data set. On the
    /// device and in the host twin the agent's HTTP seam backs it.
    /// </summary>
    public interface IPayloadFetcher
    {
        /// <summary>The payload of exactly length bytes at uri, or null (failure says why).</summary>
        IByteSource Open(string uri, long length, out string failure);

        /// <summary>Releases what Open returned.</summary>
        void Close(IByteSource payload);
    }
}
