namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// Where the data set comes from, read front to back (the HTTP download on the device; a file or
    /// an in-memory array in tests). Read returns the bytes read (0 at the end) or -1 on a transport
    /// failure; it never throws for a network condition.
    /// </summary>
    public interface IByteSource
    {
        /// <summary>Total length of the data set, or -1 if unknown.</summary>
        long Length { get; }

        int Read(byte[] buffer, int offset, int count);

        /// <summary>
        /// A strong validator of the bytes (the HTTP ETag), or null when the source cannot promise
        /// that the same position always holds the same byte; without it staging never resumes.
        /// </summary>
        string Validator { get; }

        /// <summary>Continues reading at an absolute position (resuming an interrupted staging); false on failure.</summary>
        bool SeekTo(long position);

        /// <summary>After Read returned -1: a stable code for the report (DownloadError for HTTP), 0 if none.</summary>
        int FailureCode { get; }

        /// <summary>After Read returned -1: what went wrong, for the log and the report.</summary>
        string FailureMessage { get; }
    }
}
