using System;
using System.Device.Gpio;
using System.Threading;
using SecureOta.Agent.Update.Flow;

namespace SecureOta.Agent.Esp32
{
    /// <summary>
    /// The board's local control (ILocalControl, issue 18) on GPIO: a consent button between a pin and
    /// ground (the pin's internal pull-up, so pressed reads Low), which gives consent once it is held for
    /// HoldMilliseconds without a break (a bounce or a brush against it is no consent); and an optional LED
    /// that is lit while an update waits or the update channel is blocked. A thread samples the button every
    /// SampleMilliseconds, so a press counts whenever it happens, not only when the agent looks; consent then
    /// lasts until the reboot the install makes. Only on hardware: nanoFramework.System.Device.Gpio 1.1.62
    /// (GpioController.OpenPin, GpioPin.Read/Write; tools/NanoSurface/System.Device.Gpio).
    /// </summary>
    public sealed class GpioConsentButton : ILocalControl
    {
        public const int SampleMilliseconds = 50;

        private readonly GpioPin _button;
        private readonly GpioPin _led;
        private readonly int _holdSamples;
        private readonly object _lock = new object();
        private bool _consent;

        /// <param name="buttonPin">GPIO of the button (to ground).</param>
        /// <param name="ledPin">GPIO of the LED (to ground through a resistor), or -1 for none.</param>
        public GpioConsentButton(GpioController gpio, int buttonPin, int ledPin, int holdMilliseconds)
        {
            _button = gpio.OpenPin(buttonPin, PinMode.InputPullUp);
            _led = ledPin < 0 ? null : gpio.OpenPin(ledPin, PinMode.Output);
            _holdSamples = holdMilliseconds < SampleMilliseconds ? 1 : holdMilliseconds / SampleMilliseconds;
            if (_led != null)
            {
                _led.Write(PinValue.Low);
            }

            new Thread(Sample).Start();
        }

        public bool ConsentGiven()
        {
            lock (_lock)
            {
                return _consent;
            }
        }

        public void Signal(int signal, string message)
        {
            Console.WriteLine(DateTime.UtcNow.ToString() + " " + message);
            if (_led != null)
            {
                _led.Write(signal == LocalSignal.Installing ? PinValue.Low : PinValue.High);
            }
        }

        private void Sample()
        {
            int held = 0;
            while (true)
            {
                held = _button.Read() == PinValue.Low ? held + 1 : 0;
                if (held >= _holdSamples)
                {
                    lock (_lock)
                    {
                        _consent = true;
                    }
                }

                Thread.Sleep(SampleMilliseconds);
            }
        }
    }
}
