using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Flow;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The update channel's freshness (issue 18, docs/device-api.md 3a): every check-in answer must carry a
/// statement over the board's own nonce, signed by the channel key and verified by the chip; a forged,
/// replayed or missing one is refused; a withheld update or a silent channel is reported as blocked
/// within the limit, on the board's clock.
/// </summary>
public sealed class FreshnessTests : IDisposable
{
    private const long Poll = 300 * 1_000_000L;
    private readonly PolicyRig _b = new();

    public void Dispose() => _b.Dispose();

    [Fact]
    public void AValidStatement_IsAccepted_AndTellsTheBoardTheNewestReleaseAndTheTime()
    {
        _b.Server.NewestSequence = 9;
        Assert.Equal("up to date at sequence 0", _b.Agent().RunOnce());
        Assert.Equal(9, _b.Watch.NewestAnnounced);
        Assert.Equal(_b.Server.ServerTime, _b.Watch.NowUnix());
    }

    [Fact]
    public void AStatementSignedByAnotherKey_IsRefused()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _b.Server.ChannelKey = attacker;
        _b.Publish(_b.Rig.DataSet(AgentRig.Image(20_000, 80), 7), 7, null);
        Assert.Equal("check-in failed: the freshness statement is not signed by the channel key: refused (forged)", _b.Agent().RunOnce());
        Assert.Empty(_b.Net.Requests);
        Assert.Equal(-1, _b.Watch.NewestAnnounced);
    }

    [Fact]
    public void AReplayedAnswer_IsRefused_ByItsNonce()
    {
        var replay = new ReplayingWire(_b.Server);
        Assert.Equal("up to date at sequence 0", _b.Agent(wire: replay).RunOnce());
        Assert.Equal("check-in failed: the freshness statement is for another check-in (not this board's nonce or id): refused (replayed)", _b.Agent(wire: replay).RunOnce());
    }

    [Fact]
    public void AnAnswerWithoutAStatement_IsRefused()
    {
        _b.Server.ChannelKey = null;
        Assert.Equal("check-in failed: the check-in answer carries no freshness statement: refused (a withheld or replayed answer?)", _b.Agent().RunOnce());
    }

    [Fact]
    public void AStatementForAnotherBoard_IsRefused()
    {
        var wire = new RewritingWire(_b.Server, answer =>
        {
            // A valid statement, signed by the channel key, issued to another board with this board's nonce.
            var payload = FreshnessStatement.Decode(Convert.FromHexString((string)answer["freshness"]!["payload"]!))!;
            payload.DeviceId = "dev-0002";
            var encoded = payload.Encode();
            answer["freshness"] = new JsonObject { ["payload"] = Convert.ToHexStringLower(encoded), ["signature"] = Convert.ToHexStringLower(SecureOta.Core.Host.Crypto.DetachedSign1.Sign(_b.ChannelKey, encoded)) };
        });
        Assert.StartsWith("check-in failed: the freshness statement is for another check-in", _b.Agent(wire: wire).RunOnce());
    }

    [Fact]
    public void AWithheldUpdate_IsReportedAsABlockedChannel_WithinTheLimit()
    {
        _b.Server.NewestSequence = 7; /* announced, but never offered: the attacker strips the offer */
        var agent = _b.Agent();
        long limit = _b.Watch.LimitSeconds * 1_000_000L;
        string line = "";
        long start = _b.Rig.Clock.NowMicroseconds;
        while (_b.Rig.Clock.NowMicroseconds - start <= limit + Poll)
        {
            line = agent.RunOnce();
            if (line.Contains("blocked")) break;
            _b.Rig.Clock.Advance(Poll);
        }
        Assert.Contains("update channel blocked: sequence 7 was announced", line);
        Assert.InRange(_b.Rig.Clock.NowMicroseconds - start, limit, limit + Poll);
        var report = _b.Server.Reports.Single(r => r.State == DeviceApi.StateChannelBlocked);
        Assert.Contains("never offered", report.Message);
        Assert.Equal(LocalSignal.ChannelBlocked, _b.Control.LastSignal(out _));
        agent.RunOnce(); /* said once per blocked spell */
        Assert.Single(_b.Server.Reports, r => r.State == DeviceApi.StateChannelBlocked);
    }

    [Fact]
    public void AReleaseThatIsPulled_IsNoLongerAnnounced_AndNeverReportedAsWithheld()
    {
        _b.Server.NewestSequence = 7;
        var agent = _b.Agent();
        agent.RunOnce();
        _b.Rig.Clock.Advance(Poll);
        _b.Server.NewestSequence = 0; /* the vendor cancelled the rollout of 7 */
        for (int i = 0; i < 14; i++)
        {
            Assert.Equal("up to date at sequence 0", agent.RunOnce());
            _b.Rig.Clock.Advance(Poll);
        }
        Assert.Equal(0, _b.Watch.NewestAnnounced);
        Assert.Empty(_b.Server.Reports);
    }

    [Fact]
    public void ASilentChannel_IsSignalledLocally_AndReportedWhenTheServerIsReachedAgain()
    {
        var agent = _b.Agent();
        Assert.Equal("up to date at sequence 0", agent.RunOnce());
        _b.Server.Down = true;
        string line = "";
        for (int i = 0; i < 14 && !line.Contains("blocked"); i++)
        {
            _b.Rig.Clock.Advance(Poll);
            line = agent.RunOnce();
        }
        Assert.Contains("update channel blocked: no valid freshness statement for", line);
        Assert.Equal(LocalSignal.ChannelBlocked, _b.Control.LastSignal(out _));
        Assert.Empty(_b.Server.Reports);
        // Once the server answers again, the spell is over and the server is told of it, once.
        _b.Server.Down = false;
        Assert.Equal("up to date at sequence 0", agent.RunOnce());
        var report = _b.Server.Reports.Single();
        Assert.Equal(DeviceApi.StateChannelBlocked, report.State);
        Assert.StartsWith("update channel was blocked (no valid freshness statement for", report.Message);
        Assert.Equal("up to date at sequence 0", agent.RunOnce());
        Assert.Single(_b.Server.Reports);
    }

    [Fact]
    public void ABoardWithoutAChannelTrustAnchor_CannotBeSatisfied_AndSaysSo()
    {
        using var bare = new PolicyRig(channelAnchor: false);
        Assert.StartsWith("check-in failed: the security chip could not check the freshness statement", bare.Agent().RunOnce());
    }

    private sealed class ReplayingWire(IJsonHttp inner) : IJsonHttp
    {
        private string? _first;

        public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
        {
            int status = inner.Post(url, bearer, json, responseBody, failure);
            if (url.EndsWith(DeviceApi.CheckInPath, StringComparison.Ordinal) && status == 200)
            {
                if (_first is null) _first = responseBody[0];
                else responseBody[0] = _first;
            }
            return status;
        }
    }

    private sealed class RewritingWire(IJsonHttp inner, Action<JsonObject> rewrite) : IJsonHttp
    {
        public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
        {
            int status = inner.Post(url, bearer, json, responseBody, failure);
            if (url.EndsWith(DeviceApi.CheckInPath, StringComparison.Ordinal) && status == 200)
            {
                var answer = (JsonObject)JsonNode.Parse(responseBody[0])!;
                rewrite(answer);
                responseBody[0] = answer.ToJsonString();
            }
            return status;
        }
    }
}
