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

        // The cells, one array per erase block; an erased block holds none (all bytes 0xFF): a board's
        // mostly erased partitions cost only what was programmed, so thousands of simulated boards fit.
        private readonly byte[][] _blocks;
        private readonly int _size;
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

            _size = size;
            _blocks = new byte[size / eraseBlockSize][];
            _eraseBlockSize = eraseBlockSize;
            _writeAlignment = writeAlignment;
        }

        public int Size
        {
            get { return _size; }
        }

        /// <summary>Bytes of RAM the cells take: the erase blocks that are not erased.</summary>
        public long AllocatedBytes
        {
            get
            {
                long n = 0;
                for (int i = 0; i < _blocks.Length; i++)
                {
                    if (_blocks[i] != null)
                    {
                        n += _eraseBlockSize;
                    }
                }

                return n;
            }
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

            while (count > 0)
            {
                int block = offset / _eraseBlockSize, at = offset % _eraseBlockSize;
                int n = _eraseBlockSize - at < count ? _eraseBlockSize - at : count;
                byte[] cells = _blocks[block];
                if (cells == null)
                {
                    for (int i = 0; i < n; i++)
                    {
                        buffer[bufferOffset + i] = 0xFF;
                    }
                }
                else
                {
                    Array.Copy(cells, at, buffer, bufferOffset, n);
                }

                offset += n;
                bufferOffset += n;
                count -= n;
            }

            return FlashStatus.Ok;
        }

        private byte Cell(int offset)
        {
            byte[] cells = _blocks[offset / _eraseBlockSize];
            return cells == null ? (byte)0xFF : cells[offset % _eraseBlockSize];
        }

        // Programs count bytes at offset (already checked): the blocks they fall in are allocated.
        private void Program(int offset, byte[] buffer, int bufferOffset, int count)
        {
            while (count > 0)
            {
                int block = offset / _eraseBlockSize, at = offset % _eraseBlockSize;
                int n = _eraseBlockSize - at < count ? _eraseBlockSize - at : count;
                byte[] cells = _blocks[block];
                if (cells == null)
                {
                    cells = new byte[_eraseBlockSize];
                    for (int i = 0; i < cells.Length; i++)
                    {
                        cells[i] = 0xFF;
                    }

                    _blocks[block] = cells;
                }

                Array.Copy(buffer, bufferOffset, cells, at, n);
                offset += n;
                bufferOffset += n;
                count -= n;
            }
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
                if (Cell(offset + i) != 0xFF)
                {
                    return FlashStatus.NotErased;
                }
            }

            if (CutNow())
            {
                // A torn write: the first half of the data, rounded down to the alignment, landed.
                int landed = (count / 2) - ((count / 2) % _writeAlignment);
                Program(offset, buffer, bufferOffset, landed);
                return FlashStatus.PowerLost;
            }

            Program(offset, buffer, bufferOffset, count);
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
                    // A torn erase: half of the block erased, the other half neither old nor erased. Where the
                    // call covers a whole aligned 64 KiB block, ESP-IDF erases it with one block command
                    // (esp_flash_erase_region), so a cut inside it leaves every sector of it torn, also the
                    // ones this loop had already counted as erased.
                    int first = block;
                    int end = block + _eraseBlockSize;
                    int big = (block / BlockEraseSize) * BlockEraseSize;
                    if (_eraseBlockSize < BlockEraseSize && big >= offset && big + BlockEraseSize <= offset + length)
                    {
                        first = big;
                        end = big + BlockEraseSize;
                    }

                    for (int b = first; b < end; b += _eraseBlockSize)
                    {
                        _blocks[b / _eraseBlockSize] = TornBlock();
                    }

                    return FlashStatus.PowerLost;
                }

                Array.Clear(_blocks, block / _eraseBlockSize, 1); /* erased: the block's cells go back */
                BlocksErased++;
            }

            return FlashStatus.Ok;
        }

        /// <summary>The SPI NOR block erase ESP-IDF uses for aligned 64 KiB ranges (W25Q32JV: 64 KiB block erase).</summary>
        public const int BlockEraseSize = 65536;

        private byte[] TornBlock()
        {
            int half = _eraseBlockSize / 2;
            byte[] torn = new byte[_eraseBlockSize];
            for (int i = 0; i < _eraseBlockSize; i++)
            {
                torn[i] = i < half ? (byte)0xFF : TornEraseValue;
            }

            return torn;
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
            return offset >= 0 && count >= 0 && offset <= _size && count <= _size - offset;
        }

        private static bool InBuffer(byte[] buffer, int offset, int count)
        {
            return buffer != null && offset >= 0 && count >= 0 && offset <= buffer.Length && count <= buffer.Length - offset;
        }
    }
}
