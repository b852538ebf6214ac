using SecureOta.Core.Crypto;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Streams a payload through decryption (when the data set is encrypted) and SHA-256 of the
    /// plaintext, chunk by chunk, then compares size and digest with the manifest. The agent calls it
    /// while it writes the staging partition; update-tool while it reads the file. Memory use is the
    /// caller's chunk buffer, whatever the image size.
    /// </summary>
    public sealed class PayloadVerifier
    {
        private readonly ISha256 _sha;
        private readonly AesCtr _decryptor;
        private readonly byte[] _expectedDigest;
        private readonly long _expectedSize;
        private long _seen;

        /// <param name="decryptor">AES-CTR positioned at offset 0 for an encrypted payload, or null.</param>
        public PayloadVerifier(ISha256 sha, SuitParameters parameters, AesCtr decryptor)
        {
            _sha = sha;
            _decryptor = decryptor;
            _expectedDigest = parameters.ImageDigest;
            _expectedSize = parameters.ImageSize;
            _sha.Reset();
        }

        public long BytesSeen
        {
            get { return _seen; }
        }

        /// <summary>Decrypts the chunk in place (if encrypted) and hashes the plaintext.</summary>
        public SuitResult Update(byte[] chunk, int offset, int count)
        {
            if (count > _expectedSize - _seen)
            {
                return new SuitResult(SuitError.PayloadSizeMismatch, _seen, "payload is longer than image-size " + _expectedSize.ToString());
            }

            if (_decryptor != null)
            {
                _decryptor.Transform(chunk, offset, count);
            }

            _sha.Update(chunk, offset, count);
            _seen += count;
            return SuitResult.Ok;
        }

        /// <summary>
        /// Resuming an interrupted staging: hashes plaintext the agent already wrote (read back from
        /// flash, so the final digest covers what is really there) and moves the decryptor past it.
        /// </summary>
        public SuitResult ResumeWithPlaintext(byte[] chunk, int offset, int count)
        {
            if (count > _expectedSize - _seen)
            {
                return new SuitResult(SuitError.PayloadSizeMismatch, _seen, "staged bytes run past image-size " + _expectedSize.ToString());
            }

            _sha.Update(chunk, offset, count);
            _seen += count;
            if (_decryptor != null)
            {
                _decryptor.Seek(_seen);
            }

            return SuitResult.Ok;
        }

        /// <summary>Checks size and digest; a mismatch means nothing written may be activated.</summary>
        public SuitResult Finish()
        {
            if (_seen != _expectedSize)
            {
                return new SuitResult(SuitError.PayloadSizeMismatch, _seen, "payload ended after " + _seen.ToString() + " bytes, image-size is " + _expectedSize.ToString());
            }

            byte[] digest = new byte[32];
            _sha.Finish(digest, 0);
            if (!SuitDigest.AreEqual(digest, _expectedDigest))
            {
                return new SuitResult(SuitError.PayloadDigestMismatch, -1,
                    _decryptor != null ? "decrypted image does not match image-digest (modified payload or wrong key)" : "image does not match image-digest (modified payload)");
            }

            return SuitResult.Ok;
        }
    }
}
