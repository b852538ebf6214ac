namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// When a verified, staged update may be installed (issue 18; white paper 004, execution step 1:
    /// "installation can be triggered locally ... automatically or manually"). The rollout sets it (the
    /// check-in answer's update.install, docs/device-api.md section 3); the board's own setting can only
    /// make it stricter: a board set to on-consent waits for its trigger whatever the rollout says (the
    /// owner of the machine it drives decides when it may reboot).
    /// </summary>
    public sealed class InstallPolicy
    {
        public const string Automatic = "automatic", OnConsent = "on-consent", Window = "window";

        /// <summary>Minutes in a day: window bounds are minutes after local midnight, 0..1439.</summary>
        public const int MinutesPerDay = 1440;

        public string Mode = Automatic;

        /// <summary>Window: first minute inside it, and the first minute after it (end before start: it spans midnight).</summary>
        public int WindowStart;
        public int WindowEnd;

        /// <summary>Window: UTC seconds after which the board installs outside its window; 0 for never.</summary>
        public long Deadline;

        /// <summary>Checks a policy from the wire; null when valid, else why not.</summary>
        public string Check()
        {
            if (Mode == Automatic || Mode == OnConsent)
            {
                return null;
            }

            if (Mode != Window)
            {
                return "install policy \"" + Mode + "\" is none of automatic, on-consent, window";
            }

            if (WindowStart < 0 || WindowStart >= MinutesPerDay || WindowEnd < 0 || WindowEnd >= MinutesPerDay || WindowStart == WindowEnd || Deadline < 0)
            {
                return "install window needs start and end minutes 0..1439 that differ, and a deadline of 0 (never) or later";
            }

            return null;
        }

        /// <summary>Whether the minute of the local day lies inside the window.</summary>
        public bool InWindow(int minuteOfDay)
        {
            return WindowStart < WindowEnd
                ? minuteOfDay >= WindowStart && minuteOfDay < WindowEnd
                : minuteOfDay >= WindowStart || minuteOfDay < WindowEnd;
        }

        /// <summary>
        /// The decision for now: Install, WaitConsent or WaitWindow. consentGiven is the local trigger;
        /// nowUnix the board's UTC estimate (-1 unknown: a window is then never open, fail closed, but a
        /// deadline cannot pass either); utcOffsetMinutes the board's local time zone.
        /// </summary>
        public int Decide(bool localConsentRequired, bool consentGiven, long nowUnix, int utcOffsetMinutes)
        {
            if (localConsentRequired || Mode == OnConsent)
            {
                return consentGiven ? DecisionInstall : DecisionWaitConsent;
            }

            if (Mode != Window)
            {
                return DecisionInstall;
            }

            if (nowUnix < 0)
            {
                return DecisionWaitWindow;
            }

            if (Deadline > 0 && nowUnix >= Deadline)
            {
                return DecisionInstall;
            }

            long local = nowUnix + ((long)utcOffsetMinutes * 60);
            long minute = (local / 60) % MinutesPerDay;
            if (minute < 0)
            {
                minute += MinutesPerDay;
            }

            return InWindow((int)minute) ? DecisionInstall : DecisionWaitWindow;
        }

        public const int DecisionInstall = 0, DecisionWaitConsent = 1, DecisionWaitWindow = 2;
    }
}
