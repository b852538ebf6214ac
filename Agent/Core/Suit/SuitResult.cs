namespace SecureOta.Core.Suit
{
    /// <summary>The outcome of a SUIT operation: the error (None on success), where, and what.</summary>
    public sealed class SuitResult
    {
        public static readonly SuitResult Ok = new SuitResult(SuitError.None, -1, "ok");

        public SuitResult(SuitError error, long offset, string message)
        {
            Error = error;
            Offset = offset;
            Message = message;
        }

        public SuitError Error { get; private set; }

        /// <summary>Byte offset in the data set where the problem was found, or -1.</summary>
        public long Offset { get; private set; }

        public string Message { get; private set; }

        public bool IsOk
        {
            get { return Error == SuitError.None; }
        }

        public override string ToString()
        {
            return Offset >= 0 ? Message + " (at byte " + Offset.ToString() + ")" : Message;
        }
    }
}
