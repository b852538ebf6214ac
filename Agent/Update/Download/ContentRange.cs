namespace SecureOta.Agent.Update.Download
{
    /// <summary>
    /// Parses "bytes first-last/complete" (RFC 9110 section 14.4, the byte-range form of
    /// Content-Range). Strict: one space, decimal digits only, first &lt;= last &lt; complete, no "*"
    /// (a 206 must name a satisfied range and the complete length, or the downloader cannot check it).
    /// </summary>
    public static class ContentRange
    {
        private const string Unit = "bytes ";

        // 15 digits are ~1e15 bytes: far past any image and far from overflowing a long.
        private const int MaxDigits = 15;

        public static bool TryParse(string value, out long first, out long last, out long complete)
        {
            first = last = complete = -1;
            if (value == null || value.Length <= Unit.Length || !value.StartsWith(Unit))
            {
                return false;
            }

            int at = Unit.Length;
            if (!Number(value, ref at, out first) || at >= value.Length || value[at] != '-')
            {
                return false;
            }

            at++;
            if (!Number(value, ref at, out last) || at >= value.Length || value[at] != '/')
            {
                return false;
            }

            at++;
            if (!Number(value, ref at, out complete) || at != value.Length)
            {
                return false;
            }

            return first <= last && last < complete;
        }

        private static bool Number(string s, ref int at, out long value)
        {
            value = 0;
            int start = at;
            while (at < s.Length && s[at] >= '0' && s[at] <= '9')
            {
                if (at - start == MaxDigits)
                {
                    return false;
                }

                value = value * 10 + (s[at] - '0');
                at++;
            }

            return at > start;
        }
    }
}
