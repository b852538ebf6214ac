using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Download;
using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Host.Http;
using SecureOta.ChipEmulator;
using SecureOta.Core.Crypto;
using SecureOta.Core.Suit;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Model;
using SecureOta.Drivers.Chip;

namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>
/// One simulated board: its chip (emulator state in chip.json), its flash (device.flash, shared with
/// the C boot stage), and the real agent cycle run against a server, on a modeled ESP32 clock, with
/// the faults planned for it. Nothing survives a reboot but flash and chip, as on the board.
/// </summary>
public sealed class SimDevice
{
    public const string ChipFile = "chip.json", FlashFile = "device.flash";

    private readonly IBoardStore _store;
    private readonly ChipState _chipState;
    private readonly SecureOta.ChipEmulator.ChipEmulator _chip;
    private SecurityChip _driver = null!;
    private UpdateEngine _engine = null!;
    private ISha256 _sha = null!;
    private IAesFactory _aes = null!;
    // The board's flash exists from its first run until Finish, which saves it to its store and lets it
    // go: a fleet of thousands holds only the started, unfinished boards' flash in memory.
    private BoardFlash _flash = null!;
    private BootStage _boot = null!;
    private readonly string _bootsim;
    private readonly bool _inProcessBoot;
    private readonly Esp32Model _model;
    private readonly PowerRail _rail = new();
    private readonly NetworkFaults _net = new();
    private readonly List<string> _chipFaults = [];
    private bool _rebootRequested;
    // The agent lives from one power-on to the next, as Agent/App's Program keeps it (its health-check
    // count, the channel watch and what it reported are RAM).
    private UpdateAgent _agent = null!;
    private string _serverUrl = "";
    private FleetOptions _options = new();
    private SimOperator _operator = null!;
    private bool _waitedThisCycle, _cutWhileWaiting;

    public DeviceIdentity Identity { get; }
    public DeviceTime Time { get; } = new();
    public DeviceResult Result { get; }

    /// <summary>What the device is doing, for the live display.</summary>
    public volatile string Phase = "off";

    private SimRangeHttp? _range;

    public SimDevice(string dir, string bootsim, Esp32Model model, bool inProcessBoot = true)
        : this(new DirectoryBoardStore(dir), bootsim, model, inProcessBoot)
    {
    }

    public SimDevice(IBoardStore store, string bootsim, Esp32Model model, bool inProcessBoot = true)
    {
        _store = store;
        _bootsim = bootsim;
        _inProcessBoot = inProcessBoot;
        _model = model;
        Identity = store.Identity;
        Result = new DeviceResult { Id = Identity.Id };
        _chipState = store.LoadChip();
        _chip = new SecureOta.ChipEmulator.ChipEmulator(_chipState, Time.Clock);
        Result.Part = _chipState.Part.Name;
    }

    /// <summary>Whether this board's boots run in process (libbootsim.so) rather than as bootsim processes.</summary>
    public bool InProcessBoot => _inProcessBoot && InProcessBootStage.Locate(_bootsim) is not null;

    /// <summary>Percent of the current download, or -1.</summary>
    public int DownloadPercent => _range is { } r && _offerSize > 0 && Phase == "downloading" ? (int)Math.Min(100, r.Position * 100 / _offerSize) : -1;

    private long _offerSize;

    // The chip's anti-rollback counter when this run started: "updated" means it moved during the run.
    private long _startSequence;
    private long _chipCommandsAtStart;
    private ModeledTime? _untilConfirmed;

    // Where the update's modeled time starts: the first offer's arrival (issue 14: "download to confirmed").
    // The check-in that brought it is the routine one every board makes each cycle, offer or none, and
    // ESP-IDF's OTA reference has none either; the power-on before it and the idle check-ins of a board
    // waiting for its wave are not the update's. The health check's check-in after the reboot is.
    private (DeviceTimeMark Time, long ChipCommands) _updateStart;
    private bool _updateStarted;

    // What a run keeps between the slices a big fleet gives each board (Run with yieldWhenIdle).
    private SimJsonHttp? _json;
    private ServerClient? _client;
    private Random _random = null!;
    private List<string> _faults = [];
    private bool _armed, _finished;
    private double _hostSeconds;

    /// <summary>Whether the board has started (its first Run) and not yet finished.</summary>
    public bool Running => _json is not null && !_finished;

    /// <summary>
    /// Runs cycles until the device is updated, gives up, or the run ends, then saves it (Finish); true
    /// then. With yieldWhenIdle it also returns, false and unfinished, after a cycle in which nothing was
    /// offered (the board waits for a rollout or its wave): the runner lets another board run and calls
    /// Run again later, without a reboot in between, as a real board just keeps polling. Never throws.
    /// </summary>
    public bool Run(HttpClient http, string serverUrl, FleetOptions options, FaultPlan plan, int seed, CancellationToken stop, bool yieldWhenIdle = false)
    {
        var wall = System.Diagnostics.Stopwatch.StartNew();
        bool done = true;
        try
        {
            if (_json is null) Start(http, serverUrl, options, plan, seed, stop);
            var json = _json!;
            while (!stop.IsCancellationRequested && Result.Outcome == "pending")
            {
                Result.Cycles++;
                json.StartCycle();
                var agent = _agent;
                Phase = "checking in";
                _waitedThisCycle = false;
                string line;
                try
                {
                    line = agent.RunOnce();
                }
                catch (PowerLossException e)
                {
                    // A background report in flight is let finish (it does so at once in host time), so the
                    // powered-off agent's thread never posts after the next boot's first request; the model
                    // thereby lets such a report arrive, where a real cut may lose it (only the progress
                    // reports go in the background, and reports are best effort: docs/device-api.md section 4).
                    _client?.Settle();
                    Log($"power cut: {e.Message}");
                    Result.FaultsInjected.Add($"power cut: {e.Message}");
                    _range!.Abort();
                    _chip.PowerCycle();
                    PowerOn(cutBoot: false, _random);
                    continue;
                }
                Log(line);
                if (_rebootRequested)
                {
                    _rebootRequested = false;
                    Result.Reboots++;
                    PowerOn(_faults.Contains("boot-power-cut") && !Result.FaultsInjected.Any(f => f.StartsWith("boot stage", StringComparison.Ordinal)), _random);
                    continue;
                }
                if (_waitedThisCycle && options.PowerCutWhileWaiting && !_cutWhileWaiting)
                {
                    // The held update must survive this: nothing asked the boot stage for it yet.
                    _cutWhileWaiting = true;
                    Result.FaultsInjected.Add($"power cut while waiting ({json.Reports.LastOrDefault().State})");
                    Log("power cut while waiting");
                    _range!.Abort();
                    _chip.PowerCycle();
                    PowerOn(cutBoot: false, _random);
                    continue;
                }
                Judge(json, options);
                if (Result.Outcome != "pending") break;
                Phase = json.LastOffer is null ? "waiting for rollout" : "retrying";
                Time.Wait(agent.PollSeconds * 1_000_000L);
                stop.WaitHandle.WaitOne(options.PollDelay);
                if (yieldWhenIdle && json.LastOffer is null && !stop.IsCancellationRequested)
                {
                    done = false;
                    break;
                }
            }
        }
        catch (Exception e)
        {
            Result.Outcome = "error";
            done = true;
            Log($"simulator error: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _hostSeconds += wall.Elapsed.TotalSeconds;
            if (done) Finish();
        }
        return done;
    }

    // The first run: flash from the store, the modeled crypto and network, the faults this board gets,
    // and the power-on (the boot stage, then the application).
    private void Start(HttpClient http, string serverUrl, FleetOptions options, FaultPlan plan, int seed, CancellationToken stop)
    {
        _serverUrl = serverUrl;
        _options = options;
        _operator = new SimOperator(options.ConsentAfterSeconds);
        // The run's stop (its --timeout) ends a read that a stalled or dripping server holds (issue 17, A1).
        IJsonHttp wire = new HttpClientJson(http, stop: stop);
        if (options.Attack is { } attack) wire = new ChannelAttacker(wire, attack);
        _json = new SimJsonHttp(wire, Time, _model);
        _range = new SimRangeHttp(new HttpClientRange(http, stop: stop), Time, _model, _net);
        _flash = _store.LoadFlash();
        Result.Layout = _flash.Layout.Name;
        _boot = _store.BootStage(_flash, _bootsim, _inProcessBoot);
        _random = new Random(seed);
        _faults = PlanFaults(plan, _random);
        _sha = new TimedSha256(new Sha256(), Time, _model);
        // .NET's AES with its chunk transform: the board's interop path (one call per chunk), charged by the model.
        _aes = new TimedAesFactory(new SecureOta.Core.Host.Crypto.DotNetAesFactory(), Time, _model);
        _json.Reported = state =>
        {
            Phase = state;
            // The update's time is from its offer's arrival to its confirmation report
            // (issue 14: "download to confirmed"); the idle check-ins a run goes on with afterwards are not part of it.
            if (state == DeviceApi.StateConfirmed) _untilConfirmed ??= ModeledNow();
        };
        _json.OfferArrived = size =>
        {
            if (!_updateStarted) (_updateStarted, _updateStart) = (true, (Time.Mark(), _chip.Application.Commands));
            _offerSize = size;
            Phase = "downloading";
            if (!_armed) { _armed = true; Arm(_faults, size, _random); }
        };
        _chipCommandsAtStart = _chip.Application.Commands;
        PowerOn(cutBoot: false, _random);
        _startSequence = _driver.ReadAntiRollback(out var counter);
        if (_startSequence < 0) throw new InvalidOperationException("cannot read the chip's anti-rollback counter: " + counter.Message);
    }

    /// <summary>Ends a board the run left started but unfinished (it yielded and the time ran out): saved, pending.</summary>
    public void FinishIfRunning()
    {
        if (Running) Finish();
    }

    private DevicePolicy Policy() => new()
    {
        VendorId = Identity.VendorId,
        ClassId = Identity.ClassId,
        Components = ["deploy", "nanoclr"],
        MaxImageSizes = [_flash.Deploy.Size, _flash.Nanoclr.Size],
        FirmwareVersion = SimFirmware.FirmwareVersion(_flash.NanoclrSlot(_boot.Slots)),
    };

    // What runs: the deploy slot the last boot started (always deploy on a swap board).
    private SecureOta.Drivers.Flash.IFlashArea RunningDeploy => _flash.DeploySlot(_boot.Slots);

    private List<string> PlanFaults(FaultPlan plan, Random random) =>
        FaultPlan.Kinds.Where(k => plan.Rolls(k, random)).ToList();

    // Faults are placed when the first offer says how big the data set is.
    private void Arm(List<string> faults, long size, Random random)
    {
        long sectors = Math.Max(2, size / BoardFlash.Sector);
        if (faults.Contains("drop") || faults.Contains("range-200")) _net.DropAtByte = random.NextInt64(1, size);
        if (faults.Contains("range-200")) _net.IgnoreNextRange = true;
        if (faults.Contains("tamper")) _net.CorruptAtByte = random.NextInt64(8, Math.Min(size, 160));
        else if (faults.Contains("corrupt")) _net.CorruptAtByte = random.NextInt64(size / 2, size);
        if (faults.Contains("power-cut"))
        {
            _rail.CutAfter(random.NextInt64(0, 2 * sectors));
        }
        // A bus attack is a fault the agent can detect only over the shielded connection, which a Trust X
        // does not have: on those boards it is not injected (docs/security-chip.md, "Trust X").
        if (faults.Contains("i2c-attack") && _chipState.Part.HasPresentationLayer)
        {
            bool fired = false;
            _chip.Faults.RewriteResponse = record =>
            {
                if (fired || record.Length < 8) return record;
                fired = true;
                _chipFaults.Add("an attacker on the I2C bus flipped a bit of a chip response");
                var forged = (byte[])record.Clone();
                forged[^1] ^= 0x01;
                return forged;
            };
        }
    }

    // A reset: the boot stage runs first (it may install, revert or refuse), then the application.
    private void PowerOn(bool cutBoot, Random random)
    {
        Phase = "booting";
        _flash.PowerOn();
        if (cutBoot)
        {
            int at = random.Next(1, 400);
            var (code, cutLine) = _boot.Boot(at);
            Result.FaultsInjected.Add($"boot stage power cut at flash operation {at}{(code == BootStage.PowerCutExit ? "" : " (the boot finished first)")}");
            Log(cutLine);
            ChargeBoot(cutLine);
        }
        var (exit, line) = _boot.Boot();
        if (exit != 0) throw new InvalidOperationException($"bootsim failed ({exit}): {line}");
        Log(line);
        ChargeBoot(line);
        // The application starts from nothing: a new driver (no session, no frame counters) and engine.
        // As on the board, every exchange with a Trust M goes over the shielded connection (AgentSettings.RequireShieldedConnection); a Trust X has none.
        _driver = new SecurityChip(_chip, Time.Clock);
        if (_chipState.Part.HasPresentationLayer)
            _driver.EnableShieldedConnection(_chipState.Objects[ChipState.OidPlatformBinding].Data, new Sha256(), new ManagedAesFactory());
        _engine = new UpdateEngine(_driver, new TimedFlash(_flash.Staging, "staging", Time, _model, _rail, _flash.Layout.StagingAddress),
            new TimedFlash(_flash.BootState, "bootstate", Time, _model, _rail, BoardFlash.BootStateAddress), Policy(), _sha, _aes);
        _engine.PipelineTime = new SimPipelineTime(Time);
        if (_flash.IsAb)
        {
            // The boot decision's slot bits, as the port hands them to the nanoCLR on a board.
            _engine.Slots = new SimSlotHandover(_boot.Slots, _boot.Home,
                new TimedFlash(_flash.Deploy, "deploy", Time, _model, _rail, _flash.Layout.DeployAddress),
                new TimedFlash(_flash.DeployB!, "deploy_b", Time, _model, _rail, _flash.Layout.DeployBAddress),
                new TimedFlash(_flash.Nanoclr, "nanoclr", Time, _model, _rail, _flash.Layout.NanoclrAddress),
                new TimedFlash(_flash.NanoclrB!, "nanoclr_b", Time, _model, _rail, _flash.Layout.NanoclrBAddress));
        }
        var opened = _driver.Reset(); // as Agent/App's Program does at start: the chip kept power across the reboot
        if (!opened.IsOk) Log("security chip did not open: " + opened);
        var client = new ServerClient(_json!, _serverUrl, Identity.Id, _driver, _sha) { PipelineTime = _engine.PipelineTime };
        _client = client;
        _agent = new UpdateAgent(client, _engine, _range, new VirtualDelay(Time), new RequestReboot(this), SimFirmware.ReadVersion(RunningDeploy) ?? "unknown")
        {
            Control = new SimLocalControl(_operator, Time, Signalled),
            LocalConsentRequired = _options.LocalConsent,
            UtcOffsetMinutes = _options.UtcOffsetMinutes,
        };
        // A board whose factory wrote a channel trust anchor requires freshness statements (AgentSettings.RequireChannelFreshness).
        if (_chipState.Objects.TryGetValue(SecurityChip.OidChannelTrustAnchor, out var anchor) && anchor.Data.Length > 0)
            _agent.Watch = client.Watch = new ChannelWatch(Time.Clock, _options.FreshnessLimitSeconds);
    }

    // A local signal of the agent (ILocalControl): kept with its modeled time, as an LED or a log line would show it.
    private void Signalled(int signal, string message)
    {
        double at = Seconds(Time.Clock.NowMicroseconds);
        string name = signal switch
        {
            LocalSignal.WaitingForConsent => "waiting-consent",
            LocalSignal.WaitingForWindow => "waiting-window",
            LocalSignal.ChannelBlocked => "channel-blocked",
            LocalSignal.Installing => "installing",
            _ => "signal " + signal,
        };
        Result.Signals.Add(new TimelineEntry(name, at));
        Log("local signal: " + message);
        if (signal is LocalSignal.WaitingForConsent or LocalSignal.WaitingForWindow) _waitedThisCycle = true;
        if (signal == LocalSignal.ChannelBlocked) Result.ChannelBlockedSeconds ??= at;
    }

    // Modeled boot-stage time: a plain boot reads the boot state; on a swap board an install or revert
    // swaps the image (two erases and two programs per sector), checks the envelope's signature and
    // hashes the image; on an A/B board an activation or confirmation checks the signature, hashes the
    // slot and writes a record (docs/boot-protocol.md, "A/B slots").
    // The boot's modeled time from what the boot stage did (its host port's statistics: erases, pages,
    // reads, hashes, signatures), so a record it writes, a revert and a swap cost what they cost.
    private void ChargeBoot(string line)
    {
        var s = _boot.LastStats ?? throw new InvalidOperationException("the boot stage reported no statistics: " + line);
        Time.Boot(_model.Boot(s.Erases, s.Pages, s.BytesRead, s.BytesHashed, s.Signatures));
    }

    private void Judge(SimJsonHttp json, FleetOptions options)
    {
        if (Result.ChannelBlockedSeconds is not null)
        {
            Result.Outcome = "channel-blocked";
            return;
        }
        if (options.StopWhenWaiting && _waitedThisCycle && json.Reports.Count > 0 && json.Reports[^1].State is DeviceApi.StateWaitingConsent or DeviceApi.StateWaitingWindow)
        {
            Result.Outcome = json.Reports[^1].State;
            return;
        }
        int failures = json.Reports.Count(r => r.State is "failed" or "reverted");
        // Done only after an idle check-in with nothing offered, as a real board's next cycle would make: its
        // sequence is the chip's counter, so the server learns of the confirmation even if the report was lost.
        if (json.CheckedIn && json.CheckedInIdle && json.LastOffer is null)
        {
            long confirmed = _driver.ReadAntiRollback(out _);
            var record = _engine.CurrentBootRecord();
            bool testing = record != null && record.State == SecureOta.Agent.Update.Staging.BootStateRecord.StateTesting;
            if (!testing && confirmed > _startSequence) Result.Outcome = "updated";
            else if (failures > 0) Result.Outcome = json.Reports.Last(r => r.State is "failed" or "reverted").State;
        }
        else if (failures >= options.MaxFailedAttempts)
        {
            Result.Outcome = "failed";
        }
    }

    // The board's modeled time by part (ModeledTime): since the update's start (its offer's check-in), or
    // since power-on for a board that was never offered anything.
    private ModeledTime ModeledNow()
    {
        var now = Time.Mark();
        var (from, commandsFrom) = _updateStarted ? _updateStart : (default(DeviceTimeMark), _chipCommandsAtStart);
        return new ModeledTime
        {
            Total = Seconds(now.Clock - from.Clock),
            Network = Seconds(now.Network - from.Network),
            OverlappedNetwork = Seconds(now.OverlappedNetwork - from.OverlappedNetwork),
            Flash = Seconds(now.Flash - from.Flash),
            Crypto = Seconds(now.Crypto - from.Crypto),
            Chip = Seconds(now.Chip - from.Chip),
            BootStage = Seconds(now.Boot - from.Boot),
            Waiting = Seconds(now.Wait - from.Wait),
            Busy = Seconds(now.Clock - from.Clock - (now.Wait - from.Wait)),
            EraseOperations = now.EraseOperations - from.EraseOperations,
            BytesErased = now.BytesErased - from.BytesErased,
            BytesWritten = now.BytesWritten - from.BytesWritten,
            ChipCommands = _chip.Application.Commands - commandsFrom,
        };
    }

    private void Finish()
    {
        if (_finished) return;
        _finished = true;
        Phase = Result.Outcome;
        Result.HostSeconds = Math.Round(_hostSeconds, 3);
        if (_flash is null || _driver is null) return; /* it failed before it could start */
        var json = _json!;
        Result.Version = SimFirmware.ReadVersion(RunningDeploy);
        Result.Sequence = _driver.ReadAntiRollback(out _);
        Result.FaultsInjected.AddRange(_net.Fired);
        Result.FaultsInjected.AddRange(_chipFaults);
        Result.Reports.AddRange(json.Reports.Select(r => r.Failure == 0 ? $"{r.State} {r.Sequence}" : $"{r.State} {r.Sequence} ({r.Failure}/{r.Code}: {r.Message})"));
        Result.Timeline.AddRange(json.Reports.Select((r, i) => new TimelineEntry(r.State, Seconds(json.ReportTimes[i]))));
        Result.FirstOfferSeconds = json.FirstOfferAt < 0 ? null : Seconds(json.FirstOfferAt);
        Result.OfferBytes = json.FirstOfferSize;
        if (_range is not null)
        {
            Result.BytesDownloaded = _range.BytesReceived;
            Result.DownloadRequests = _range.Requests;
        }
        Result.Modeled = _untilConfirmed ?? ModeledNow();
        if (Result.OfferBytes > 0)
            Result.ModeledLimit = Seconds(_model.UpdateLimit(Result.OfferBytes, Result.OfferBytes, (long)(Result.Modeled.Chip * 1_000_000), BoardFlash.Sector));
        try
        {
            _flash.PowerOn();
            _store.SaveFlash(_flash);
            _store.SaveChip(_chipState);
        }
        catch (IOException e)
        {
            Log("could not save the device state: " + e.Message);
        }
        // Saved: what only the run needed goes back (a fleet of thousands keeps just the results).
        _flash = null!;
        _engine = null!;
        _agent = null!;
        _range = null;
        _json = null;
        if (_droppedLogLines > 0) Result.Log.Add($"... and {_droppedLogLines} more lines (the first {MaxLogLines} are kept)");
    }

    private static double Seconds(long us) => Math.Round(us / 1_000_000.0, 3);

    /// <summary>Lines of a board's log the report keeps (a board waiting for its wave logs every idle check-in).</summary>
    public const int MaxLogLines = 300;
    private int _droppedLogLines;

    private void Log(string line)
    {
        lock (Result.Log)
        {
            if (Result.Log.Count < MaxLogLines) Result.Log.Add($"[{Seconds(Time.Clock.NowMicroseconds),9:F3}s] {line}");
            else _droppedLogLines++;
        }
    }

    private sealed class RequestReboot(SimDevice device) : IReboot
    {
        public void Reboot() => device._rebootRequested = true;
    }

    private sealed class VirtualDelay(DeviceTime time) : IDelay
    {
        public void SleepMilliseconds(int milliseconds) => time.Wait(milliseconds * 1000L);
    }
}
