using SecureOta.Agent.Update.Download;

namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// The board's download path: the host's HTTP client, charged the modeled Wi-Fi latency and
/// throughput, with the device's planned network faults applied in transit.
/// </summary>
public sealed class SimRangeHttp(IRangeHttp inner, DeviceTime time, Esp32Model model, NetworkFaults faults) : IRangeHttp
{
    /// <summary>Artifact bytes delivered to the agent over all requests (what the radio received).</summary>
    public long BytesReceived { get; private set; }

    /// <summary>The highest artifact offset delivered so far in the current download (for progress).</summary>
    public long Position { get; private set; }

    public int Requests { get; private set; }

    private HttpRangeResponse? _open;

    private NetworkFaults Faults => faults;

    // Charges the modeled air time of n bytes and counts them.
    private void Received(long offset, int n)
    {
        BytesReceived += n;
        Position = offset;
        time.Network(model.Transfer(n));
    }

    public HttpRangeResponse? Get(string url, long from, string? ifRange, string[] failure)
    {
        Requests++;
        time.Network(model.RequestLatencyMicroseconds);
        if (from > 0 && faults.IgnoreNextRange)
        {
            faults.IgnoreNextRange = false;
            faults.Fired.Add($"answered a range request from byte {from} with HTTP 200 (whole artifact)");
            from = 0;
            ifRange = null;
        }
        var response = inner.Get(url, from, ifRange, failure);
        if (response is null) return null;
        long start = from;
        if (response.Status != 206) start = 0;
        _open = new Response(this, response, start);
        return _open;
    }

    /// <summary>Closes the connection in flight (the board lost power).</summary>
    public void Abort()
    {
        _open?.Close();
        _open = null;
    }

    private sealed class Response : HttpRangeResponse
    {
        private readonly SimRangeHttp _owner;
        private readonly HttpRangeResponse _inner;
        private long _offset;

        public Response(SimRangeHttp owner, HttpRangeResponse inner, long start)
        {
            _owner = owner;
            _inner = inner;
            _offset = start;
            Status = inner.Status;
            ContentLength = inner.ContentLength;
            ETag = inner.ETag;
            ContentRange = inner.ContentRange;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var faults = _owner.Faults;
            if (faults.DropAtByte >= 0 && _offset < faults.DropAtByte && _offset + count > faults.DropAtByte)
                count = (int)(faults.DropAtByte - _offset);
            if (faults.DropAtByte >= 0 && _offset == faults.DropAtByte)
            {
                faults.Fired.Add($"dropped the connection at byte {_offset}");
                faults.DropAtByte = -1;
                Close();
                return -1;
            }
            int n = _inner.Read(buffer, offset, count);
            if (n <= 0) return n;
            if (faults.CorruptAtByte >= _offset && faults.CorruptAtByte < _offset + n)
            {
                buffer[offset + (int)(faults.CorruptAtByte - _offset)] ^= 0x10;
                faults.Fired.Add($"flipped a bit of byte {faults.CorruptAtByte} in transit");
                faults.CorruptAtByte = -1;
            }
            _offset += n;
            _owner.Received(_offset, n);
            return n;
        }

        public override void Close() => _inner.Close();
    }
}
