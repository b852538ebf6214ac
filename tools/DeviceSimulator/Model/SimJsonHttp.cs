using System.Text.Json;
using SecureOta.Agent.Update.Api;

namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// The board's device-API calls: the host's HTTP client, charged the modeled latency. It also
/// notes what crossed the wire (the last check-in's offer, each reported state) so the simulator
/// judges a device by its protocol traffic, not by peeking into the agent.
/// </summary>
public sealed class SimJsonHttp(IJsonHttp inner, DeviceTime time, Esp32Model model) : IJsonHttp
{
    /// <summary>Whether the last successful check-in offered a data set, and its sequence and version.</summary>
    public (long Sequence, string Version)? LastOffer { get; private set; }

    public bool CheckedIn { get; private set; }

    /// <summary>Whether that check-in was an idle one (the board running a confirmed image), not the health check of an image under test.</summary>
    public bool CheckedInIdle { get; private set; }

    /// <summary>Called with the data set's size when a check-in answer offers one.</summary>
    public Action<long>? OfferArrived { get; set; }

    /// <summary>Called with each state the device reports.</summary>
    public Action<string>? Reported { get; set; }

    /// <summary>Forgets the previous cycle's check-in (a new cycle judges only its own traffic).</summary>
    public void StartCycle()
    {
        CheckedIn = false;
        CheckedInIdle = false;
        LastOffer = null;
    }

    /// <summary>States the device reported, in order, with the failure reason when there was one.</summary>
    public List<(string State, long Sequence, int Failure, int Code, string Message)> Reports { get; } = [];

    /// <summary>The modeled clock (µs) when each report was sent, in the order of Reports.</summary>
    public List<long> ReportTimes { get; } = [];

    /// <summary>The modeled clock (µs) when the first offer arrived, or -1; and its size.</summary>
    public long FirstOfferAt { get; private set; } = -1;
    public long FirstOfferSize { get; private set; }

    public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
    {
        time.Network(model.RequestLatencyMicroseconds + model.Transfer(json.Length));
        int status = inner.Post(url, bearer, json, responseBody, failure);
        try
        {
            if (url.EndsWith("/checkin", StringComparison.Ordinal) && status == 200)
            {
                CheckedIn = true;
                using (var sent = JsonDocument.Parse(json))
                {
                    var st = sent.RootElement.TryGetProperty("state", out var stateValue) ? stateValue.GetString() : null;
                    CheckedInIdle = st == DeviceApi.StateIdle;
                    // The health check's check-in is the "installed" step (the server records it so; the agent
                    // sends no separate report): kept in the board's timeline once per install.
                    if (st == DeviceApi.StateTesting && sent.RootElement.TryGetProperty("sequence", out var seqValue)
                        && !(Reports.Count > 0 && Reports[^1].State == DeviceApi.StateInstalled && Reports[^1].Sequence == seqValue.GetInt64()))
                    {
                        Reports.Add((DeviceApi.StateInstalled, seqValue.GetInt64(), 0, 0, "the health check's check-in"));
                        ReportTimes.Add(time.Clock.NowMicroseconds);
                        Reported?.Invoke(DeviceApi.StateInstalled);
                    }
                }
                using var doc = JsonDocument.Parse(responseBody[0]);
                LastOffer = doc.RootElement.TryGetProperty("update", out var u) && u.ValueKind == JsonValueKind.Object
                    ? (u.GetProperty("sequence").GetInt64(), u.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "")
                    : null;
                if (LastOffer is not null)
                {
                    long size = u.GetProperty("size").GetInt64();
                    if (FirstOfferAt < 0) (FirstOfferAt, FirstOfferSize) = (time.Clock.NowMicroseconds, size);
                    OfferArrived?.Invoke(size);
                }
            }
            else if (url.EndsWith("/status", StringComparison.Ordinal) && status is >= 200 and < 300)
            {
                using var doc = JsonDocument.Parse(json);
                var r = doc.RootElement;
                Reports.Add((r.GetProperty("state").GetString()!, r.GetProperty("sequence").GetInt64(),
                    r.GetProperty("failure").GetInt32(), r.GetProperty("code").GetInt32(), r.GetProperty("message").GetString() ?? ""));
                ReportTimes.Add(time.Stamp()); // a background report's own lane time
                Reported?.Invoke(Reports[^1].State);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // The agent judges the answer itself; the simulator only observes.
        }
        return status;
    }
}
