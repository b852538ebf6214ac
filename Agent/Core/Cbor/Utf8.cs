using System;

namespace SecureOta.Core.Cbor
{
    /// <summary>
    /// Strict UTF-8 (RFC 3629) for CBOR text strings. Written here rather than taken from
    /// System.Text.Encoding (which lives in nanoFramework.System.Text, not mscorlib) because the reader
    /// must reject malformed input (overlong forms, surrogates, truncated sequences) instead of
    /// replacing it.
    /// Encode walks text.ToCharArray(), never the string indexer: on the nanoCLR, String.get_Chars
    /// returns the high surrogate for both halves of a supplementary-plane character (for U+1F680,
    /// s[1] is 0xD83D; issue 11, fact 5), while ToCharArray returns the real UTF-16 code units.
    /// </summary>
    public static class Utf8
    {
        /// <summary>Encodes a string; unpaired surrogates are rejected.</summary>
        public static byte[] Encode(string text)
        {
            char[] units = text.ToCharArray();
            int length = 0;
            for (int i = 0; i < units.Length; i++)
            {
                char c = units[i];
                if (c < 0x80)
                {
                    length += 1;
                }
                else if (c < 0x800)
                {
                    length += 2;
                }
                else if (c >= 0xD800 && c <= 0xDBFF)
                {
                    if (i + 1 >= units.Length || units[i + 1] < 0xDC00 || units[i + 1] > 0xDFFF)
                    {
                        throw new ArgumentException("unpaired surrogate in text");
                    }

                    length += 4;
                    i++;
                }
                else if (c >= 0xDC00 && c <= 0xDFFF)
                {
                    throw new ArgumentException("unpaired surrogate in text");
                }
                else
                {
                    length += 3;
                }
            }

            byte[] bytes = new byte[length];
            int o = 0;
            for (int i = 0; i < units.Length; i++)
            {
                int c = units[i];
                if (c < 0x80)
                {
                    bytes[o++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    bytes[o++] = (byte)(0xC0 | (c >> 6));
                    bytes[o++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (c >= 0xD800 && c <= 0xDBFF)
                {
                    int cp = 0x10000 + ((c - 0xD800) << 10) + (units[++i] - 0xDC00);
                    bytes[o++] = (byte)(0xF0 | (cp >> 18));
                    bytes[o++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    bytes[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    bytes[o++] = (byte)(0x80 | (cp & 0x3F));
                }
                else
                {
                    bytes[o++] = (byte)(0xE0 | (c >> 12));
                    bytes[o++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    bytes[o++] = (byte)(0x80 | (c & 0x3F));
                }
            }

            return bytes;
        }

        /// <summary>Decodes count bytes at offset; returns null if they are not valid UTF-8.</summary>
        public static string Decode(byte[] bytes, int offset, int count)
        {
            char[] chars = new char[count];
            int n = 0;
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int b = bytes[i];
                int cp;
                int extra;
                int min;
                if (b < 0x80)
                {
                    chars[n++] = (char)b;
                    i++;
                    continue;
                }
                else if ((b & 0xE0) == 0xC0)
                {
                    cp = b & 0x1F;
                    extra = 1;
                    min = 0x80;
                }
                else if ((b & 0xF0) == 0xE0)
                {
                    cp = b & 0x0F;
                    extra = 2;
                    min = 0x800;
                }
                else if ((b & 0xF8) == 0xF0)
                {
                    cp = b & 0x07;
                    extra = 3;
                    min = 0x10000;
                }
                else
                {
                    return null;
                }

                if (extra > end - i - 1)
                {
                    return null;
                }

                for (int k = 1; k <= extra; k++)
                {
                    int cont = bytes[i + k];
                    if ((cont & 0xC0) != 0x80)
                    {
                        return null;
                    }

                    cp = (cp << 6) | (cont & 0x3F);
                }

                if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                {
                    return null;
                }

                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)cp;
                }

                i += extra + 1;
            }

            return new string(chars, 0, n);
        }
    }
}
