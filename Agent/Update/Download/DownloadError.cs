namespace SecureOta.Agent.Update.Download
{
    /// <summary>Why a download stopped for good (reported with UpdateFailure.Network). Values are stable.</summary>
    public enum DownloadError
    {
        None = 0,

        /// <summary>No connection, or it dropped more often than the retry budget allows.</summary>
        Unreachable = 1,

        /// <summary>The server answered a status other than 200 (first request) or 206 (resume).</summary>
        HttpStatus = 2,

        /// <summary>A range request got a whole-representation 200: the artifact changed (If-Range) or the server ignores ranges. Never spliced.</summary>
        RangeRefused = 3,

        /// <summary>The ETag of a resumed response differs from the first one: a different artifact.</summary>
        ArtifactChanged = 4,

        /// <summary>Content-Range missing or not the bytes asked for (RFC 9110 section 14.4).</summary>
        BadContentRange = 5,

        /// <summary>The length differs from what the server announced at check-in, or is missing.</summary>
        LengthMismatch = 6,

        /// <summary>The connection dropped and the first response had no strong ETag to resume safely with.</summary>
        NotResumable = 7,

        /// <summary>No payload data arrived within the wait limit while downloading and writing at once (ChunkPrefetcher).</summary>
        Stalled = 8,
    }
}
