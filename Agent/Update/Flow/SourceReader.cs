namespace SecureOta.Agent.Update.Flow
{
    /// <summary>Reading an IByteSource until a count is reached, it ends, or it fails.</summary>
    public static class SourceReader
    {
        /// <summary>The bytes read (fewer than count only at the end), or -1 when the source failed.</summary>
        public static int ReadFully(IByteSource source, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int n = source.Read(buffer, offset + total, count - total);
                if (n < 0)
                {
                    return -1;
                }

                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        }
    }
}
