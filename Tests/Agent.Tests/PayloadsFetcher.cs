using SecureOta.Agent.Update.Flow;

namespace SecureOta.Agent.Tests;

/// <summary>Detached payloads by uri, from memory (a 404 for any other uri); records what was opened.</summary>
public sealed class PayloadsFetcher(Dictionary<string, byte[]> payloads) : IPayloadFetcher
{
    public List<string> Opened { get; } = [];

    public IByteSource? Open(string uri, long length, out string? failure)
    {
        Opened.Add(uri);
        failure = payloads.ContainsKey(uri) ? null : "404";
        return payloads.TryGetValue(uri, out var bytes) ? new MemorySource(bytes, validator: "\"x\"") : null;
    }

    public void Close(IByteSource payload) { }
}
