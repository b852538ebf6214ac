using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Host.Http;
using SecureOta.Core.Crypto;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// A test against a fresh real server whose vendor key is a rig's: the rig (chip emulator, vendor),
/// the server, and the device API client of the agent for any device id that rig's chip signs for.
/// </summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected AgentRig Rig { get; } = new();
    protected ServerFixture Server { get; set; } = null!;
    private readonly HttpClient _http = new();

    /// <summary>Starts the server; a test class adds its own set-up after calling this.</summary>
    public virtual Task InitializeAsync()
    {
        Server = new ServerFixture(Rig.VendorKey);
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Rig.Dispose();
        _http.Dispose();
    }

    /// <summary>The agent's device API client for this id, signing with the rig's chip.</summary>
    protected ServerClient Device(string id) => new(new HttpClientJson(_http), Server.BaseUrl, id, Rig.Driver, new Sha256());
}
