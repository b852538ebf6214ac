namespace SecureOta.Agent.Update.Staging
{
    /// <summary>
    /// Whether bytes read from flash are all in the erased state (IFlashArea.ErasedValue): what the boot-state
    /// slots, the banks' log sectors and the resume journal's slots are told apart by, never assumed.
    /// </summary>
    public static class ErasedCells
    {
        /// <summary>True if buffer[offset .. offset+count) all equal erased.</summary>
        public static bool All(byte[] buffer, int offset, int count, byte erased)
        {
            for (int i = 0; i < count; i++)
            {
                if (buffer[offset + i] != erased)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
