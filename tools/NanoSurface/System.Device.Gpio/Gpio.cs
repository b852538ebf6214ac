// NanoSurface: System.Device.Gpio (assembly System.Device.Gpio, lib/System.Device.Gpio.dll of NuGet
// nanoFramework.System.Device.Gpio 1.1.62, built on CoreLibrary 1.17.11 and Runtime.Events 1.11.37).
// Source: nanoframework/System.Device.Gpio at tag v1.1.62, System.Device.Gpio/{GpioController,GpioPin,
// PinMode,PinValue}.cs (checked member by member; only the members the agent uses, and their neighbours).
// GpioController.OpenPin throws InvalidOperationException when the pin cannot be opened (InternalOpenPin);
// PinValue's High is 1 and Low 0, and (bool) is "not 0".
namespace System.Device.Gpio
{
    public enum PinMode { Input, InputPullDown, InputPullUp, Output, OutputOpenDrain, OutputOpenDrainPullUp, OutputOpenSource, OutputOpenSourcePullDown }

    public readonly struct PinValue
    {
        public static PinValue High { get { throw null; } }
        public static PinValue Low { get { throw null; } }
        public static implicit operator PinValue(int value) { throw null; }
        public static implicit operator PinValue(bool value) { throw null; }
        public static explicit operator byte(PinValue value) { throw null; }
        public static explicit operator int(PinValue value) { throw null; }
        public static explicit operator bool(PinValue value) { throw null; }
        public bool Equals(PinValue other) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public static bool operator ==(PinValue a, PinValue b) { throw null; }
        public static bool operator !=(PinValue a, PinValue b) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    public sealed class GpioPin : IDisposable
    {
        public int PinNumber { get { throw null; } }
        public PinMode GetPinMode() { throw null; }
        public bool IsPinModeSupported(PinMode pinMode) { throw null; }
        public void SetPinMode(PinMode value) { }
        public PinValue Read() { throw null; }
        public void Write(PinValue value) { }
        public void Toggle() { }
        public void Dispose() { }
    }

    public sealed class GpioController : IDisposable
    {
        public GpioController() { }
        public int PinCount { get { throw null; } }
        public GpioPin OpenPin(int pinNumber) { throw null; }
        public GpioPin OpenPin(int pinNumber, PinMode mode) { throw null; }
        public void ClosePin(int pinNumber) { }
        public bool IsPinOpen(int pinNumber) { throw null; }
        public PinValue Read(int pinNumber) { throw null; }
        public void Write(int pinNumber, PinValue value) { }
        public void Dispose() { }
    }
}
