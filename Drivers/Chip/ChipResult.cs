namespace SecureOta.Drivers.Chip
{
    /// <summary>The outcome of a chip operation: a layer-namespaced code and, on success, the data.</summary>
    public sealed class ChipResult
    {
        private ChipResult(int code, string message, byte[] data)
        {
            Code = code;
            Message = message;
            Data = data;
        }

        /// <summary>0 on success; otherwise see ChipErrors (the high byte names the layer).</summary>
        public int Code { get; private set; }

        public string Message { get; private set; }

        /// <summary>Response data (OutData of the APDU) on success, else null.</summary>
        public byte[] Data { get; private set; }

        public bool IsOk
        {
            get { return Code == ChipErrors.Ok; }
        }

        public ChipLayer Layer
        {
            get { return Code == 0 ? ChipLayer.None : (ChipLayer)(Code >> 8 > 0x7F ? 8 : Code >> 8); }
        }

        /// <summary>For device errors, the chip's last-error code (0xF1C2), else 0.</summary>
        public int DeviceError
        {
            get { return Code >= ChipErrors.DeviceBase ? Code & 0xFF : 0; }
        }

        public static ChipResult Ok(byte[] data)
        {
            return new ChipResult(ChipErrors.Ok, "ok", data == null ? new byte[0] : data);
        }

        public static ChipResult Fail(int code, string message)
        {
            return new ChipResult(code, message, null);
        }

        public override string ToString()
        {
            return IsOk ? "ok" : "chip error 0x" + Code.ToString("X4") + ": " + Message;
        }
    }
}
