using SecureOta.Drivers.Chip;

namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// Watches the update channel for a freeze (issue 18; TUF "indefinite freeze", white paper 004 step B:
    /// "attackers may attempt to block the process"). It remembers when the board last received a valid
    /// freshness statement (signed by the channel key, carrying this board's own nonce) and the newest
    /// sequence the server said it released. The channel counts as blocked when no valid statement arrived
    /// for longer than LimitSeconds, or when a sequence newer than the board's was announced and not offered
    /// for longer than LimitSeconds. Time is the monotonic clock since power-on (a reboot starts the count
    /// again: the board keeps nothing of this in flash, so a board rebooted in a loop by an attacker is
    /// told apart only by the server, which sees it never check in).
    /// Also the board's estimate of UTC, for maintenance windows: the newest statement's server time carried
    /// forward by the monotonic clock, never set back (a statement is bound to this board's nonce, so an old
    /// one cannot be replayed; a slower server clock cannot reopen a window that already closed).
    /// </summary>
    public sealed class ChannelWatch
    {
        private readonly IChipClock _clock;
        private readonly long _startUs;
        private long _lastFreshUs = -1;
        private long _newestTold = -1;
        private long _newerSinceUs = -1;
        private long _timeBaseUnix = -1;
        private long _timeBaseUs;

        public ChannelWatch(IChipClock clock, int limitSeconds)
        {
            _clock = clock;
            _startUs = clock.NowMicroseconds;
            LimitSeconds = limitSeconds;
        }

        /// <summary>How long the channel may stay silent or withhold an announced release.</summary>
        public int LimitSeconds { get; private set; }

        /// <summary>The newest sequence the latest valid statement announced, or -1.</summary>
        public long NewestAnnounced
        {
            get { return _newestTold; }
        }

        // The current or last blocked spell: why, and whether the server has been told.
        private string _spell;
        private bool _spellReported;

        /// <summary>Whether the local seam was told of the current blocked spell (once per spell).</summary>
        public bool SignalledLocally;

        /// <summary>
        /// After a check-in that got through: the blocked spell the server has not been told of, or null.
        /// stillBlocked false means the spell is over (a valid statement came): it is handed out once more if
        /// it was never reported, then forgotten. The caller calls SpellReported when the report arrived.
        /// </summary>
        public string UnreportedSpell(bool stillBlocked)
        {
            string spell = _spellReported ? null : _spell;
            if (!stillBlocked && (_spellReported || _spell == null))
            {
                _spell = null;
            }

            return spell;
        }

        /// <summary>The server took the report of the spell UnreportedSpell handed out.</summary>
        public void SpellReported(bool stillBlocked)
        {
            _spellReported = true;
            if (!stillBlocked)
            {
                _spell = null;
            }
        }

        /// <summary>A valid statement arrived (the caller verified signature, nonce and device).</summary>
        public void Fresh(long newestSequence, long serverTime)
        {
            long now = _clock.NowMicroseconds;
            _lastFreshUs = now;

            // The latest announcement, not the highest ever: a release the vendor pulled (its rollout cancelled)
            // is no longer announced and must not be reported as withheld. Only the channel key can lower it.
            _newestTold = newestSequence;

            long estimate = NowUnix();
            if (estimate < 0 || serverTime > estimate)
            {
                _timeBaseUnix = serverTime;
                _timeBaseUs = now;
            }
        }

        /// <summary>The board's estimate of UTC in seconds since 1970, or -1 before the first valid statement.</summary>
        public long NowUnix()
        {
            if (_timeBaseUnix < 0)
            {
                return -1;
            }

            return _timeBaseUnix + ((_clock.NowMicroseconds - _timeBaseUs) / 1000000);
        }

        /// <summary>
        /// Called after each cycle's check-in: the board's confirmed sequence and whether the server
        /// offered something newer. Returns why the channel is blocked, or null while it is not.
        /// </summary>
        public string Blocked(long confirmedSequence, bool offered)
        {
            long now = _clock.NowMicroseconds;
            long limitUs = (long)LimitSeconds * 1000000;
            if (offered || _newestTold <= confirmedSequence)
            {
                _newerSinceUs = -1;
            }
            else if (_newerSinceUs < 0)
            {
                _newerSinceUs = now;
            }

            string why = null;
            long since = _lastFreshUs < 0 ? _startUs : _lastFreshUs;
            if (now - since > limitUs)
            {
                why = "no valid freshness statement for " + ((now - since) / 1000000).ToString() + " s (limit " + LimitSeconds.ToString() + " s)";
            }
            else if (_newerSinceUs >= 0 && now - _newerSinceUs > limitUs)
            {
                why = "sequence " + _newestTold.ToString() + " was announced " + ((now - _newerSinceUs) / 1000000).ToString() + " s ago and never offered (limit " + LimitSeconds.ToString() + " s)";
            }

            if (why != null && _spell == null)
            {
                _spellReported = false;
                SignalledLocally = false;
            }

            if (why != null)
            {
                _spell = why;
            }

            return why;
        }
    }
}
