namespace SecureOta.Core.Suit
{
    /// <summary>
    /// What a device accepts (docs/data-set-format.md, "Profile"): its vendor and class ids, the
    /// components it can install and their maximum sizes, and the sequence number installed now.
    /// Checked after authentication and before a single payload byte is written.
    /// </summary>
    public sealed class DevicePolicy
    {
        public byte[] VendorId { get; set; }

        public byte[] ClassId { get; set; }

        /// <summary>Accepted component names (e.g. "deploy", "nanoclr").</summary>
        public string[] Components { get; set; }

        /// <summary>Maximum image size per accepted component, same order as Components.</summary>
        public long[] MaxImageSizes { get; set; }

        /// <summary>Sequence number of the installed image; a data set must be strictly newer.</summary>
        public long CurrentSequence { get; set; }

        /// <summary>
        /// The version of the firmware (nanoCLR) this device runs, one integer per part, or null if it is
        /// unknown (a data set with a firmware dependency is then refused). On a board:
        /// nanoFramework.Runtime.Native.SystemInfo.Version (Agent/App/Esp32/Program.cs).
        /// </summary>
        public long[] FirmwareVersion { get; set; }

        /// <summary>Checks a parsed, authenticated manifest against this device.</summary>
        public SuitResult Check(SuitEnvelope envelope)
        {
            SuitResult profile = SuitProfile.Check(envelope);
            if (!profile.IsOk)
            {
                return profile;
            }

            SuitManifest m = envelope.Manifest;
            SuitParameters p = m.Parameters[0];
            if (!SuitDigest.AreEqual(p.VendorId, VendorId))
            {
                return new SuitResult(SuitError.WrongVendor, -1, "vendor-id " + Uuid.Format(p.VendorId) + " is not this device's " + Uuid.Format(VendorId));
            }

            if (!SuitDigest.AreEqual(p.ClassId, ClassId))
            {
                return new SuitResult(SuitError.WrongClass, -1, "class-id " + Uuid.Format(p.ClassId) + " is not this device's " + Uuid.Format(ClassId));
            }

            // Every image the data set installs: its component must exist here (checked before the
            // sequence number, as for one image), and the image must fit it.
            int images = m.IsPair ? 2 : 1;
            int[] slots = new int[images];
            for (int c = 0; c < images; c++)
            {
                string component = c == 0 ? m.ComponentName : SuitPairBuilder.SecondComponent;
                slots[c] = -1;
                for (int i = 0; Components != null && i < Components.Length; i++)
                {
                    if (Components[i] == component)
                    {
                        slots[c] = i;
                    }
                }

                if (slots[c] < 0)
                {
                    return new SuitResult(SuitError.WrongComponent, -1, "component \"" + component + "\" is not installable on this device");
                }
            }

            if (m.SequenceNumber <= CurrentSequence)
            {
                return new SuitResult(SuitError.RollbackAttempt, -1, "sequence number " + m.SequenceNumber.ToString() + " is not newer than the installed " + CurrentSequence.ToString());
            }

            long[] required = m.RequiredFirmware;
            if (required != null && !AtLeast(FirmwareVersion, required))
            {
                return new SuitResult(SuitError.FirmwareTooOld, -1, "the data set requires firmware " + FormatVersion(required) + " or newer; this device runs "
                    + (FirmwareVersion == null ? "a firmware of unknown version" : FormatVersion(FirmwareVersion)) + ": install the firmware first");
            }

            for (int c = 0; c < images; c++)
            {
                long size = m.Parameters[c].ImageSize;
                int index = slots[c];
                if (MaxImageSizes != null && index < MaxImageSizes.Length && size > MaxImageSizes[index])
                {
                    return new SuitResult(SuitError.ImageTooLarge, -1, "image of " + size.ToString() + " bytes does not fit \"" + Components[index] + "\" (" + MaxImageSizes[index].ToString() + " bytes)");
                }
            }

            return SuitResult.Ok;
        }

        /// <summary>
        /// Whether `version` is at least `required`: part by part from the first, a missing part counting as
        /// 0 (so 1.2 equals 1.2.0.0), as update-management's greater-equal comparison of two version arrays.
        /// </summary>
        public static bool AtLeast(long[] version, long[] required)
        {
            if (version == null)
            {
                return false;
            }

            int parts = version.Length > required.Length ? version.Length : required.Length;
            for (int i = 0; i < parts; i++)
            {
                long have = i < version.Length ? version[i] : 0;
                long need = i < required.Length ? required[i] : 0;
                if (have != need)
                {
                    return have > need;
                }
            }

            return true;
        }

        /// <summary>"1.2.0" for {1, 2, 0}.</summary>
        public static string FormatVersion(long[] version)
        {
            string s = "";
            for (int i = 0; i < version.Length; i++)
            {
                s += (i == 0 ? "" : ".") + version[i].ToString();
            }

            return s;
        }
    }
}
