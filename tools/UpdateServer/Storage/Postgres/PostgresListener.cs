using Npgsql;

namespace SecureOta.UpdateServer.Storage.Postgres;

/// <summary>
/// PostgreSQL's LISTEN/NOTIFY (PostgreSQL documentation, SQL commands LISTEN and NOTIFY): one dedicated
/// connection listens on a channel and hands every notification's payload on, so every process on the
/// same database hears what any of them sends. A dropped connection is reopened after a pause (bounded,
/// 0.5 … 10 s); what was sent while it was down is not heard (NOTIFY does not queue for absent
/// listeners), which the callers must tolerate.
/// </summary>
public sealed class PostgresListener : IDisposable
{
    /// <summary>pg_notify's payload limit is 8000 bytes (NOTIFY: "must be shorter than 8000 bytes").</summary>
    public const int MaxPayloadBytes = 7999;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Heard notifications so far (for tests and metrics).</summary>
    public long Heard => Interlocked.Read(ref _heard);
    private long _heard;

    /// <summary>Set once the first LISTEN is in place.</summary>
    public Task Listening => _listening.Task;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresListener(string connectionString, string channel, Action<string> onPayload)
    {
        if (!IsIdentifier(channel)) throw new ArgumentException($"{channel}: a channel name is a plain SQL identifier");
        _loop = Task.Run(() => Run(connectionString, channel, onPayload, _stop.Token));
    }

    /// <summary>
    /// Sends payload on channel through db (delivered when the surrounding transaction, if any, commits);
    /// false when the database cannot be reached right now (the caller decides what a lost notice costs).
    /// </summary>
    public static bool Notify(IDatabase db, string channel, string payload)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(payload) > MaxPayloadBytes) throw new ArgumentException("a notification payload is limited to 7999 bytes");
        try
        {
            db.Query("SELECT pg_notify(@c, @p)", ("@c", channel), ("@p", payload));
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    private async Task Run(string connectionString, string channel, Action<string> onPayload, CancellationToken stop)
    {
        var pause = TimeSpan.FromMilliseconds(500);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stop);
                connection.Notification += (_, e) =>
                {
                    Interlocked.Increment(ref _heard);
                    onPayload(e.Payload);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                    await listen.ExecuteNonQueryAsync(stop);
                _listening.TrySetResult();
                pause = TimeSpan.FromMilliseconds(500);
                while (!stop.IsCancellationRequested) await connection.WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                try { await Task.Delay(pause, stop); } catch (OperationCanceledException) { return; }
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private static bool IsIdentifier(string name) =>
        name.Length is > 0 and < 64 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    public void Dispose()
    {
        _stop.Cancel();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
