namespace SecureOta.Drivers.Chip
{
    /// <summary>Which protocol layer a chip result comes from (the high byte of ChipResult.Code).</summary>
    public enum ChipLayer
    {
        None = 0,
        Physical = 1,
        DataLink = 2,
        Transport = 3,
        Presentation = 4,
        Command = 5,

        /// <summary>The chip executed the command and refused it; the code is its last-error code (0xF1C2).</summary>
        Device = 8,
    }
}
