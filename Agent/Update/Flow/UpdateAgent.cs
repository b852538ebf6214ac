using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Download;
using SecureOta.Agent.Update.Staging;
using SecureOta.Drivers.Chip;

namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// One cycle of the agent (white paper 004, execution steps 1-4): after a reboot into a new image,
    /// the health check (an authenticated check-in) and the confirmation; after a boot-stage refusal
    /// or revert, the report; otherwise check in, and when an update is offered: download, stage,
    /// report, reboot. Each cycle ends in a clean state; the caller waits PollSeconds between cycles.
    /// </summary>
    public sealed class UpdateAgent
    {
        /// <summary>Failed health checks of a new image before the agent reboots so the boot stage reverts it.</summary>
        public const int MaxHealthCheckFailures = 3;

        private readonly ServerClient _server;
        private readonly UpdateEngine _engine;
        private readonly IRangeHttp _download;
        private readonly IDelay _delay;
        private readonly IReboot _reboot;
        private readonly string _version;
        private readonly UpdateOffer[] _offer = new UpdateOffer[1];
        private int _healthFailures;
        private bool _bootDecisionReported;
        private long _waitReportedSequence = -1;
        private long _heldRejected = -1;
        private string _waitReportedState;

        /// <summary>The board's consent trigger and local signals (issue 18); null: no trigger, consent never given.</summary>
        public ILocalControl Control;

        /// <summary>The update channel's watch, shared with the ServerClient (its Watch); null: no freshness statements.</summary>
        public ChannelWatch Watch;

        /// <summary>The board's own install setting: true waits for the consent trigger whatever the rollout says.</summary>
        public bool LocalConsentRequired;

        /// <summary>The board's local time zone for maintenance windows, minutes east of UTC.</summary>
        public int UtcOffsetMinutes;

        public UpdateAgent(ServerClient server, UpdateEngine engine, IRangeHttp download, IDelay delay, IReboot reboot, string runningVersion)
        {
            _server = server;
            _engine = engine;
            _download = download;
            _delay = delay;
            _reboot = reboot;
            _version = runningVersion;
        }

        /// <summary>Seconds to wait before the next cycle, as the server asked.</summary>
        public int PollSeconds
        {
            get { return _server.PollSeconds; }
        }

        /// <summary>Runs one cycle; returns one line for the log (never a secret).</summary>
        public string RunOnce()
        {
            string line = Cycle();
            // A progress report still in flight ends with the cycle (bounded): the next cycle starts clean.
            _server.Settle();
            return line;
        }

        private string Cycle()
        {
            // Every cycle checks in: its nonce is asked for now, and arrives while the chip's session is
            // opened (after a reboot: the shielded connection's handshake) and the counter is read.
            _server.RequestNonceInBackground();
            ChipResult chip;
            long confirmed = _engine.ConfirmedSequence(out chip);
            if (confirmed < 0)
            {
                // A broken session (an integrity alert from a bus attacker, a chip reset) stays broken
                // until it is opened again: once per cycle, so a dead chip cannot cause a tight loop.
                ChipResult reopened = _engine.ResetChip();
                if (reopened.IsOk)
                {
                    confirmed = _engine.ConfirmedSequence(out chip);
                }

                if (confirmed < 0)
                {
                    return "security chip unavailable: " + (reopened.IsOk ? chip.Message : reopened.Message);
                }
            }

            BootStateRecord record = _engine.CurrentBootRecord();
            if (record != null && record.State == BootStateRecord.StateTesting)
            {
                return HealthCheckAndConfirm(record);
            }

            if (!_server.CheckIn(confirmed, _version, DeviceApi.StateIdle, _offer))
            {
                string failed = "check-in failed: " + _server.Error;
                string silent = CheckChannel(confirmed, false, false);
                return silent == null ? failed : failed + "; update channel blocked: " + silent;
            }

            ReportBootDecision(record);
            UpdateOffer offer = _offer[0];
            string blocked = CheckChannel(confirmed, offer != null, true);
            if (offer == null)
            {
                return "up to date at sequence " + confirmed.ToString() + (blocked == null ? "" : "; update channel blocked: " + blocked);
            }

            bool wait = LocalConsentRequired || offer.Install.Mode != InstallPolicy.Automatic;
            if (wait && _engine.HeldSequence() == offer.Sequence && _heldRejected != offer.Sequence)
            {
                return DecideHeld(offer);
            }

            string staged = Download(offer, wait);
            if (staged != null)
            {
                return staged;
            }

            _heldRejected = -1;
            return DecideHeld(offer);
        }

        // Downloads and stages the offer; returns the cycle's line, or null when the staged update is held
        // back by its install policy (DecideHeld says what happens next).
        private string Download(UpdateOffer offer, bool hold)
        {
            // Progress reports go in the background (issue 14): the download starts while this one is in flight.
            _server.ReportInBackground(DeviceApi.StateDownloading, offer.Sequence, "downloading " + offer.Size.ToString() + " bytes");
            ResumableDownload download = new ResumableDownload(_download, offer.Url, offer.Size, _delay);
            UpdateOutcome outcome;
            if (!download.Open())
            {
                outcome = new UpdateOutcome(UpdateFailure.Network, download.FailureCode, download.FailureMessage);
            }
            else
            {
                _engine.Observer = new VerifiedReport(_server);
                _engine.PayloadFetcher = new HttpPayloadFetcher(_download, _delay);
                _engine.DeferInstall = hold;
                outcome = _engine.Stage(download);
                _engine.DeferInstall = false;
                _engine.Observer = null;
                _engine.PayloadFetcher = null;
            }

            download.Close();
            if (!outcome.IsOk)
            {
                _server.Report(DeviceApi.StateFailed, offer.Sequence, (int)outcome.Failure, outcome.Detail, outcome.Message);
                return "update to sequence " + offer.Sequence.ToString() + " failed: " + outcome.ToString();
            }

            if (hold)
            {
                return null;
            }

            _server.Report(DeviceApi.StateStaged, offer.Sequence, 0, 0, "staged " + outcome.BytesStaged.ToString() + " bytes; rebooting into the boot stage");
            _reboot.Reboot();
            return "staged sequence " + offer.Sequence.ToString() + ", rebooted";
        }

        // A staged update held back by its policy: install it now (verified again from flash first), or say
        // once per update and state what it waits for, to the server and locally.
        private string DecideHeld(UpdateOffer offer)
        {
            bool consent = Control != null && Control.ConsentGiven();
            int decision = offer.Install.Decide(LocalConsentRequired, consent, Watch == null ? -1 : Watch.NowUnix(), UtcOffsetMinutes);
            if (decision == InstallPolicy.DecisionInstall)
            {
                UpdateOutcome outcome = _engine.InstallHeld();
                if (!outcome.IsOk)
                {
                    // Staged again from the server next cycle: what lies in staging is not used.
                    _heldRejected = offer.Sequence;
                    _server.Report(DeviceApi.StateFailed, offer.Sequence, (int)outcome.Failure, outcome.Detail, "the held update failed its second verification: " + outcome.Message);
                    return "held update " + offer.Sequence.ToString() + " failed its second verification: " + outcome.ToString();
                }

                string why = consent ? "consent given" : offer.Install.Mode == InstallPolicy.Window ? "inside the maintenance window or past its deadline" : "policy " + offer.Install.Mode;
                if (Control != null)
                {
                    Control.Signal(LocalSignal.Installing, "installing sequence " + offer.Sequence.ToString() + " (" + why + ")");
                }

                _server.Report(DeviceApi.StateStaged, offer.Sequence, 0, 0, "held update verified again (" + why + "); rebooting into the boot stage");
                _reboot.Reboot();
                return "installing held sequence " + offer.Sequence.ToString() + " (" + why + "), rebooted";
            }

            bool forConsent = decision == InstallPolicy.DecisionWaitConsent;
            string state = forConsent ? DeviceApi.StateWaitingConsent : DeviceApi.StateWaitingWindow;
            string line = forConsent
                ? "sequence " + offer.Sequence.ToString() + " verified and staged; waiting for the local consent trigger"
                : "sequence " + offer.Sequence.ToString() + " verified and staged; waiting for the maintenance window " + Minute(offer.Install.WindowStart) + "-" + Minute(offer.Install.WindowEnd)
                    + (offer.Install.Deadline > 0 ? " (installs anyway after " + offer.Install.Deadline.ToString() + " UTC seconds)" : "");
            if (_waitReportedSequence != offer.Sequence || _waitReportedState != state)
            {
                if (Control != null)
                {
                    Control.Signal(forConsent ? LocalSignal.WaitingForConsent : LocalSignal.WaitingForWindow, line);
                }

                if (_server.Report(state, offer.Sequence, 0, 0, line))
                {
                    _waitReportedSequence = offer.Sequence;
                    _waitReportedState = state;
                }
            }

            return line;
        }

        private static string Minute(int minuteOfDay)
        {
            int h = minuteOfDay / 60, m = minuteOfDay % 60;
            return (h < 10 ? "0" : "") + h.ToString() + ":" + (m < 10 ? "0" : "") + m.ToString();
        }

        // The freshness check after a check-in (ChannelWatch): when blocked, signalled locally once and reported
        // to the server as soon as a check-in gets through. Returns why it is blocked, or null.
        private string CheckChannel(long confirmed, bool offered, bool checkedIn)
        {
            if (Watch == null)
            {
                return null;
            }

            string why = Watch.Blocked(confirmed, offered);
            bool blocked = why != null;
            if (blocked && !Watch.SignalledLocally && Control != null)
            {
                Control.Signal(LocalSignal.ChannelBlocked, "update channel blocked: " + why);
            }

            if (blocked)
            {
                Watch.SignalledLocally = true;
            }

            // The server hears of a spell as soon as a check-in gets through: while it lasts (an attacker who
            // strips offers lets reports pass), or once it is over (a silent channel could not be reported in).
            string spell = checkedIn ? Watch.UnreportedSpell(blocked) : null;
            if (spell != null)
            {
                string message = blocked ? "update channel blocked: " + spell : "update channel was blocked (" + spell + "); a valid freshness statement arrived again";
                if (_server.Report(DeviceApi.StateChannelBlocked, confirmed, 0, 0, message))
                {
                    Watch.SpellReported(blocked);
                }
            }

            return why;
        }

        // The new image runs under test: it is healthy if it can still reach and authenticate to the
        // server. Only then is it confirmed and the anti-rollback counter advanced.
        private string HealthCheckAndConfirm(BootStateRecord record)
        {
            if (!_server.CheckIn(record.ImageSeq, _version, DeviceApi.StateTesting, _offer))
            {
                _healthFailures++;
                if (_healthFailures >= MaxHealthCheckFailures)
                {
                    _reboot.Reboot();
                    return "health check failed " + _healthFailures.ToString() + " times (" + _server.Error + "): rebooted, the boot stage reverts";
                }

                return "health check failed (" + _server.Error + "), will retry";
            }

            // No "installed" report: the health check's check-in (state "testing", the image's sequence, signed
            // by the chip) tells the server that the boot stage installed it, and the server records it so
            // (docs/update-server.md, "Device API"); one request less per update.
            UpdateOutcome outcome = _engine.ConfirmRunningImage();
            if (!outcome.IsOk)
            {
                _server.Report(DeviceApi.StateFailed, record.ImageSeq, (int)outcome.Failure, outcome.Detail, "confirmation failed: " + outcome.Message);
                return "confirmation failed: " + outcome.ToString();
            }

            _server.Report(DeviceApi.StateConfirmed, record.ImageSeq, 0, 0, "running " + _version);
            return "confirmed sequence " + record.ImageSeq.ToString();
        }

        // Reports "verified" when the engine has checked everything and is about to write staging.
        private sealed class VerifiedReport : IStageObserver
        {
            private readonly ServerClient _server;

            public VerifiedReport(ServerClient server)
            {
                _server = server;
            }

            public void Verified(long sequence, long imageSize)
            {
                // In the background: the first erase and write do not wait for the server's answer.
                _server.ReportInBackground(DeviceApi.StateVerified, sequence, "signature verified by the chip; ids, sequence and size checked; staging " + imageSize.ToString() + " bytes");
            }
        }

        // The boot stage leaves IDLE with a reason when it refused a request or reverted an image.
        private void ReportBootDecision(BootStateRecord record)
        {
            if (_bootDecisionReported || record == null || record.State != BootStateRecord.StateIdle || record.Writer != BootStateRecord.WriterBoot || record.Reason == 0)
            {
                return;
            }

            bool reverted = record.Reason == BootStateRecord.ReasonNotConfirmed || record.Reason == BootStateRecord.ReasonInstallCheckFailed;
            _bootDecisionReported = _server.Report(reverted ? DeviceApi.StateReverted : DeviceApi.StateFailed, record.ImageSeq, (int)UpdateFailure.BootStage, record.Reason, reverted ? "the boot stage reverted the new image" : "the boot stage refused the staged data set");
        }
    }
}
