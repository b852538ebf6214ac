using System.Text.Json;
using System.Threading.Channels;

namespace SecureOta.UpdateServer.Dashboard;

/// <summary>
/// Fans "something changed" notices (a device checked in or reported, a rollout moved, a data set
/// arrived) out to the dashboard's server-sent-event streams. Each stream has a small bounded queue
/// that drops its oldest notice when a slow reader falls behind: a notice only says "refresh", so
/// losing one under load costs nothing, and a device's request never waits for a browser.
/// With replicas on one PostgreSQL (issue 15) a notice goes through the database instead
/// (<see cref="RelayThrough"/>: NOTIFY, and every replica's listener delivers it to its own streams), so
/// a browser on any replica sees what devices report to any other.
/// </summary>
public sealed class ChangeFeed
{
    public const int QueueLength = 64;
    private readonly object _gate = new();
    private readonly List<Channel<string>> _subscribers = [];

    public int Subscribers
    {
        get { lock (_gate) return _subscribers.Count; }
    }

    private Func<string, bool>? _relay;

    /// <summary>
    /// From now on a published notice is sent through relay (true: sent); whatever relay hears comes back
    /// through <see cref="Deliver"/>. A notice the relay could not send is delivered here only: this
    /// replica's own streams still hear it.
    /// </summary>
    public void RelayThrough(Func<string, bool> relay) => _relay = relay;

    public void Publish(string kind, string subject)
    {
        var notice = JsonSerializer.Serialize(new { kind, subject });
        if (_relay is { } relay && relay(notice)) return;
        Deliver(notice);
    }

    /// <summary>Hands a notice to this process's streams.</summary>
    public void Deliver(string notice)
    {
        lock (_gate)
            foreach (var s in _subscribers) s.Writer.TryWrite(notice);
    }

    public Channel<string> Subscribe()
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate) _subscribers.Add(channel);
        return channel;
    }

    public void Unsubscribe(Channel<string> channel)
    {
        lock (_gate) _subscribers.Remove(channel);
        channel.Writer.TryComplete();
    }
}
