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
                return "check-in failed: " + _server.Error;
            }

            ReportBootDecision(record);
            UpdateOffer offer = _offer[0];
            if (offer == null)
            {
                return "up to date at sequence " + confirmed.ToString();
            }

            _server.Report(DeviceApi.StateDownloading, offer.Sequence, 0, 0, "downloading " + offer.Size.ToString() + " bytes");
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
                outcome = _engine.Stage(download);
                _engine.Observer = null;
                _engine.PayloadFetcher = null;
            }

            download.Close();
            if (!outcome.IsOk)
            {
                _server.Report(DeviceApi.StateFailed, offer.Sequence, (int)outcome.Failure, outcome.Detail, outcome.Message);
                return "update to sequence " + offer.Sequence.ToString() + " failed: " + outcome.ToString();
            }

            _server.Report(DeviceApi.StateStaged, offer.Sequence, 0, 0, "staged " + outcome.BytesStaged.ToString() + " bytes; rebooting into the boot stage");
            _reboot.Reboot();
            return "staged sequence " + offer.Sequence.ToString() + ", rebooted";
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

            _server.Report(DeviceApi.StateInstalled, record.ImageSeq, 0, 0, "installed by the boot stage; running " + _version + " under test, health check passed");
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
                _server.Report(DeviceApi.StateVerified, sequence, 0, 0, "signature verified by the chip; ids, sequence and size checked; staging " + imageSize.ToString() + " bytes");
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
