namespace SecureOta.Drivers.Flash
{
    /// <summary>Outcome of one flash operation at our flash-area seam.</summary>
    public enum FlashStatus
    {
        /// <summary>Done.</summary>
        Ok = 0,

        /// <summary>The range does not lie inside the area.</summary>
        OutOfRange = 1,

        /// <summary>An erase not on erase-block boundaries, or a write not on the write alignment.</summary>
        Misaligned = 2,

        /// <summary>
        /// A write over bytes that are not erased. Real NOR flash silently ANDs the bits instead; the
        /// strict emulator refuses, so that a writer that forgets an erase fails its tests.
        /// </summary>
        NotErased = 3,

        /// <summary>The flash driver reported an error.</summary>
        DeviceError = 4,

        /// <summary>Power was cut during the operation (emulator only): the device is resetting.</summary>
        PowerLost = 5,
    }
}
