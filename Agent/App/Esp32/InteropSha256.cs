using SecureOta.Core.Crypto;

namespace SecureOta.Agent.Esp32
{
    /// <summary>
    /// SHA-256 on the ESP32's accelerator through the interop (SecureOta.Native.Crypto, issue 14): one
    /// native call per chunk instead of the interpreted managed Sha256 (about 273 IL operations a byte). A
    /// message whose native hash cannot start (both slots busy) or fails runs in the managed Sha256
    /// instead, from its first byte: the digest is the same either way.
    /// </summary>
    public sealed class InteropSha256 : ISha256
    {
        private readonly Sha256 _managed = new Sha256();
        private int _handle = -1;
        private bool _managedMessage;
        private bool _started;

        public void Update(byte[] data, int offset, int count)
        {
            if (!_started)
            {
                Start();
            }

            if (!_managedMessage && SecureOta.Native.Crypto.NativeSha256Update(_handle, data, offset, count) != SecureOta.Native.Crypto.Ok)
            {
                // The bytes so far are in the native state alone: this message cannot continue in managed
                // code. Fail loudly rather than return a digest of part of the message.
                throw new System.InvalidOperationException("native SHA-256 refused a chunk (" + offset.ToString() + ", " + count.ToString() + ")");
            }

            if (_managedMessage)
            {
                _managed.Update(data, offset, count);
            }
        }

        public void Finish(byte[] output, int outputOffset)
        {
            if (!_started)
            {
                Start();
            }

            _started = false;
            if (_managedMessage)
            {
                _managed.Finish(output, outputOffset);
                return;
            }

            int status = SecureOta.Native.Crypto.NativeSha256Finish(_handle, output, outputOffset);
            _handle = -1;
            if (status != SecureOta.Native.Crypto.Ok)
            {
                throw new System.InvalidOperationException("native SHA-256 could not finish");
            }
        }

        public void Reset()
        {
            if (_handle >= 0)
            {
                SecureOta.Native.Crypto.NativeSha256Abort(_handle);
                _handle = -1;
            }

            _managed.Reset();
            _started = false;
        }

        private void Start()
        {
            _handle = SecureOta.Native.Crypto.NativeSha256Begin();
            _managedMessage = _handle < 0;
            _managed.Reset();
            _started = true;
        }
    }
}
