using System;
using SecureOta.Drivers.Flash;

namespace SecureOta.DeviceTests.Fakes
{
    /// <summary>
    /// A flash area in RAM that is never more lenient than NOR flash: erase only whole blocks, program
    /// only erased bytes, honour the write alignment, and lose power on command. Written in the
    /// nanoFramework subset so the same fake serves device tests on a board and on the host.
    /// A power cut tears the operation in flight (a prefix of a write lands; an erase leaves its block
    /// in an undefined, partly erased state) and every later operation fails until PowerOn().
    /// </summary>
    public sealed class StrictRamFlash : IFlashArea
    {
        /// <summary>The byte a torn erase leaves behind where it did not finish.</summary>
        public const byte TornEraseValue = 0xA5;

        private readonly byte[] _cells;
        private readonly int _eraseBlockSize;
        private readonly int _writeAlignment;
        private int _operationsUntilCut = -1;
        private bool _powered = true;

        public StrictRamFlash(int size, int eraseBlockSize, int writeAlignment)
        {
            if (eraseBlockSize <= 0 || size <= 0 || size % eraseBlockSize != 0)
            {
                throw new ArgumentException("size must be a positive multiple of eraseBlockSize");
            }

            if (writeAlignment <= 0 || eraseBlockSize % writeAlignment != 0)
            {
                throw new ArgumentException("writeAlignment must divide eraseBlockSize");
            }

            _cells = new byte[size];
            _eraseBlockSize = eraseBlockSize;
            _writeAlignment = writeAlignment;
            for (int i = 0; i < size; i++)
            {
                _cells[i] = 0xFF;
            }
        }

        public int Size
        {
            get { return _cells.Length; }
        }

        public int EraseBlockSize
        {
            get { return _eraseBlockSize; }
        }

        public int WriteAlignment
        {
            get { return _writeAlignment; }
        }

        public byte ErasedValue
        {
            get { return 0xFF; }
        }

        /// <summary>Completed write operations since construction.</summary>
        public int WriteCount { get; private set; }

        /// <summary>Erased blocks since construction (the wear an update costs).</summary>
        public int BlocksErased { get; private set; }

        /// <summary>Whether the flash is powered (false after a simulated cut until PowerOn).</summary>
        public bool IsPowered
        {
            get { return _powered; }
        }

        /// <summary>Cuts power during the (n+1)-th write or erase from now; n = 0 cuts the next one.</summary>
        public void CutPowerAfter(int operations)
        {
            if (operations < 0)
            {
                throw new ArgumentOutOfRangeException("operations");
            }

            _operationsUntilCut = operations;
        }

        /// <summary>Restores power (the device rebooted); the cells keep what the cut left.</summary>
        public void PowerOn()
        {
            _powered = true;
            _operationsUntilCut = -1;
        }

        public FlashStatus Read(int offset, byte[] buffer, int bufferOffset, int count)
        {
            if (!_powered)
            {
                return FlashStatus.PowerLost;
            }

            if (!InBuffer(buffer, bufferOffset, count) || !InArea(offset, count))
            {
                return FlashStatus.OutOfRange;
            }

            Array.Copy(_cells, offset, buffer, bufferOffset, count);
            return FlashStatus.Ok;
        }

        public FlashStatus Write(int offset, byte[] buffer, int bufferOffset, int count)
        {
            if (!_powered)
            {
                return FlashStatus.PowerLost;
            }

            if (!InBuffer(buffer, bufferOffset, count) || !InArea(offset, count))
            {
                return FlashStatus.OutOfRange;
            }

            if (offset % _writeAlignment != 0 || count % _writeAlignment != 0)
            {
                return FlashStatus.Misaligned;
            }

            for (int i = 0; i < count; i++)
            {
                if (_cells[offset + i] != 0xFF)
                {
                    return FlashStatus.NotErased;
                }
            }

            if (CutNow())
            {
                // A torn write: the first half of the data, rounded down to the alignment, landed.
                int landed = (count / 2) - ((count / 2) % _writeAlignment);
                Array.Copy(buffer, bufferOffset, _cells, offset, landed);
                return FlashStatus.PowerLost;
            }

            Array.Copy(buffer, bufferOffset, _cells, offset, count);
            WriteCount++;
            return FlashStatus.Ok;
        }

        public FlashStatus Erase(int offset, int length)
        {
            if (!_powered)
            {
                return FlashStatus.PowerLost;
            }

            if (!InArea(offset, length))
            {
                return FlashStatus.OutOfRange;
            }

            if (offset % _eraseBlockSize != 0 || length % _eraseBlockSize != 0)
            {
                return FlashStatus.Misaligned;
            }

            for (int block = offset; block < offset + length; block += _eraseBlockSize)
            {
                if (CutNow())
                {
                    // A torn erase: half of the block erased, the other half neither old nor erased.
                    int half = _eraseBlockSize / 2;
                    for (int i = 0; i < _eraseBlockSize; i++)
                    {
                        _cells[block + i] = i < half ? (byte)0xFF : TornEraseValue;
                    }

                    return FlashStatus.PowerLost;
                }

                for (int i = 0; i < _eraseBlockSize; i++)
                {
                    _cells[block + i] = 0xFF;
                }

                BlocksErased++;
            }

            return FlashStatus.Ok;
        }

        private bool CutNow()
        {
            if (_operationsUntilCut < 0)
            {
                return false;
            }

            if (_operationsUntilCut == 0)
            {
                _powered = false;
                _operationsUntilCut = -1;
                return true;
            }

            _operationsUntilCut--;
            return false;
        }

        private bool InArea(int offset, int count)
        {
            return offset >= 0 && count >= 0 && offset <= _cells.Length && count <= _cells.Length - offset;
        }

        private static bool InBuffer(byte[] buffer, int offset, int count)
        {
            return buffer != null && offset >= 0 && count >= 0 && offset <= buffer.Length && count <= buffer.Length - offset;
        }
    }
}
