namespace SecureOta.Agent.Update.Flow
{
    /// <summary>What one staging attempt ended with.</summary>
    public sealed class UpdateOutcome
    {
        public UpdateOutcome(UpdateFailure failure, int detail, string message)
        {
            Failure = failure;
            Detail = detail;
            Message = message;
        }

        public UpdateFailure Failure { get; private set; }

        public int Detail { get; private set; }

        public string Message { get; private set; }

        /// <summary>Sequence number of the staged data set (on success).</summary>
        public long Sequence { get; set; }

        /// <summary>Payload bytes written to staging.</summary>
        public long BytesStaged { get; set; }

        public bool IsOk
        {
            get { return Failure == UpdateFailure.None; }
        }

        public override string ToString()
        {
            return IsOk ? "staged seq " + Sequence.ToString() : Failure.ToString() + " (" + Detail.ToString() + "): " + Message;
        }
    }
}
