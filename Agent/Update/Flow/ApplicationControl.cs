namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// The local control an application drives itself: it calls Consent() when the machine is at rest
    /// (the job finished, the operator confirmed on its display) and reads the last signal for its own
    /// display or log. Consent lasts until the board reboots (an install reboots it).
    /// </summary>
    public sealed class ApplicationControl : ILocalControl
    {
        private readonly object _lock = new object();
        private bool _consent;
        private int _signal;
        private string _message;

        /// <summary>The application allows the waiting update to be installed (the board reboots).</summary>
        public void Consent()
        {
            lock (_lock)
            {
                _consent = true;
            }
        }

        public bool ConsentGiven()
        {
            lock (_lock)
            {
                return _consent;
            }
        }

        public void Signal(int signal, string message)
        {
            lock (_lock)
            {
                _signal = signal;
                _message = message;
            }
        }

        /// <summary>The last signal (a LocalSignal value, 0 before any) and its line.</summary>
        public int LastSignal(out string message)
        {
            lock (_lock)
            {
                message = _message;
                return _signal;
            }
        }
    }
}
