using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Flow;
using SecureOta.Core.Crypto;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The check-in's nonce asked for on its own thread (issue 14, ServerClient.RequestNonceInBackground): the
/// chip works while the request is in flight, the check-in takes the answer and fails closed on a bad one,
/// and an untaken nonce never overlaps the next request.
/// </summary>
public sealed class NoncePrefetchTests : IDisposable
{
    private const string DeviceId = "dev-0001";
    private readonly AgentRig Rig = new(shielded: true);
    private readonly FakeDeviceServer Server = new();

    public NoncePrefetchTests() =>
        Server.Register(DeviceId, Rig.ChipState.Objects[SecureOta.ChipEmulator.ChipState.OidDeviceCert].Data);

    public void Dispose() => Rig.Dispose();

    private UpdateAgent Agent(IJsonHttp http) =>
        new(new ServerClient(http, FakeDeviceServer.Base, DeviceId, Rig.Driver, new Sha256()),
            Rig.Engine(), new ScriptedNetwork([]), new RecordingDelay(), new NoReboot(), "1.0.0");

    [Fact]
    public void TheCycle_OpensTheChipWhileTheNonceIsInFlight()
    {
        long before = Rig.Chip.Application.Commands;
        // The nonce's answer is held until the chip has run a command of this cycle (bounded: 10 s), and the
        // chip, once its first command of the cycle is done, waits for the nonce request to have arrived
        // (bounded: 10 s). Without the second hold the request's thread could start after the first
        // command or not, and the arrival count below was a race (seen failing once in CI).
        using var arrived = new ManualResetEventSlim();
        var held = new Held(Server, DeviceApi.NoncePath, () => Rig.Chip.Application.Commands > before)
        {
            Probe = () => Rig.Chip.Application.Commands,
            Arrived = arrived.Set,
        };
        bool chipWaitedOut = false;
        Rig.Chip.Application.ApduTrace = _ => chipWaitedOut |= !arrived.Wait(TimeSpan.FromSeconds(10));
        Assert.Equal("up to date at sequence 0", Agent(held).RunOnce());
        Rig.Chip.Application.ApduTrace = null;
        /* asked for while the chip's first command of the cycle ran: without the prefetch the request
           comes only after the counter is read, and the chip waits out its bound for it */
        Assert.False(chipWaitedOut, "the nonce was not asked for while the chip worked");
        Assert.InRange(Assert.Single(held.ProbedAtArrival), before, before + 1);
        Assert.True(held.SawOverlap, "the chip waited for the nonce");
        Assert.True(held.MostInFlight <= 1, "two device-API requests of one client were in flight at once");
        Assert.Single(Server.CheckIns);
    }

    [Fact]
    public void AFailedNonceRequest_FailsTheCheckIn_AndTheNextCycleAsksAgain()
    {
        var agent = Agent(Server);
        Server.Down = true;
        Assert.Equal("check-in failed: cannot reach the server: connection refused", agent.RunOnce());
        Server.Down = false;
        Assert.Equal("up to date at sequence 0", agent.RunOnce());
        Assert.Single(Server.CheckIns);
    }

    [Fact]
    public void ANonceAnswerThatIsNoNonce_IsRefused()
    {
        var agent = Agent(new Answering(Server, DeviceApi.NoncePath, "{\"nonce\":\"00\"}"));
        Assert.Equal("check-in failed: the nonce answer carries no 32-byte hex nonce", agent.RunOnce());
        Assert.Empty(Server.CheckIns);
    }

    [Fact]
    public void AnUntakenNonce_IsSettledBeforeTheNextRequest()
    {
        var held = new Held(Server, DeviceApi.NoncePath, () => false, holdMilliseconds: 200);
        var client = new ServerClient(held, FakeDeviceServer.Base, DeviceId, Rig.Driver, new Sha256());
        client.RequestNonceInBackground();
        Assert.True(client.Settle());
        Assert.Equal(1, held.Completed);   /* the held nonce request had ended when Settle returned */
        // A check-in after the dropped nonce asks for its own.
        Assert.True(client.CheckIn(0, "1.0.0", DeviceApi.StateIdle, new UpdateOffer[1]));
        Assert.Equal(2, held.Requests(DeviceApi.NoncePath));
    }

    private sealed class NoReboot : IReboot
    {
        public void Reboot() => throw new InvalidOperationException("no reboot expected");
    }

    // Answers requests to one path with a fixed body (status 200).
    private sealed class Answering(IJsonHttp inner, string path, string body) : IJsonHttp
    {
        public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
        {
            if (!url.EndsWith(path, StringComparison.Ordinal)) return inner.Post(url, bearer, json, responseBody, failure);
            responseBody[0] = body;
            return 200;
        }
    }

    // Holds each request to one path until `released` is true or the hold ends, and counts requests in flight.
    private sealed class Held(IJsonHttp inner, string path, Func<bool> released, int holdMilliseconds = 10_000) : IJsonHttp
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, int> _requests = [];
        private int _inFlight;
        public int MostInFlight;
        public bool SawOverlap;
        public Func<long>? Probe;
        public Action? Arrived;
        public List<long> ProbedAtArrival { get; } = [];

        private int _completed;
        public int Completed => Volatile.Read(ref _completed);

        public int Requests(string suffix)
        {
            lock (_gate) return _requests.Where(r => r.Key.EndsWith(suffix, StringComparison.Ordinal)).Sum(r => r.Value);
        }

        public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
        {
            int now = Interlocked.Increment(ref _inFlight);
            lock (_gate)
            {
                MostInFlight = Math.Max(MostInFlight, now);
                _requests[url] = _requests.GetValueOrDefault(url) + 1;
            }
            try
            {
                if (url.EndsWith(path, StringComparison.Ordinal))
                {
                    if (Probe is not null) lock (_gate) ProbedAtArrival.Add(Probe());
                    Arrived?.Invoke();
                    if (SpinWait.SpinUntil(released, holdMilliseconds)) SawOverlap = true;
                }
                return inner.Post(url, bearer, json, responseBody, failure);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
                Interlocked.Increment(ref _completed);
            }
        }
    }
}
