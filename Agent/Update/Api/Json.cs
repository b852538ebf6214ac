using System.Collections;

namespace SecureOta.Agent.Update.Api
{
    /// <summary>
    /// The JSON the device API needs (RFC 8259 subset): objects of strings, integers, booleans, null
    /// and nested objects; no arrays, no fractions. Strict and bounded: depth, string length and the
    /// input size are limited, every index is checked, a malformed document yields null (no throw).
    /// nanoFramework's System.Collections Hashtable holds members (no generics on the device).
    /// </summary>
    public sealed class Json
    {
        public const int MaxDepth = 4;
        public const int MaxDocument = 4096;

        private readonly Hashtable _members = new Hashtable();

        private Json()
        {
        }

        /// <summary>Parses a document whose top level is an object; null if it is not valid here.</summary>
        public static Json Parse(string text)
        {
            if (text == null || text.Length == 0 || text.Length > MaxDocument)
            {
                return null;
            }

            // The parser walks the UTF-16 code units from ToCharArray(), not the string indexer: on the
            // nanoCLR s[i] returns the high surrogate for both halves of a supplementary-plane character.
            char[] units = text.ToCharArray();
            int at = 0;
            Json result = ParseObject(units, ref at, 1);
            SkipSpace(units, ref at);
            return result != null && at == units.Length ? result : null;
        }

        public bool Has(string name)
        {
            return _members.Contains(name);
        }

        /// <summary>A string member, or null when absent or not a string.</summary>
        public string String(string name)
        {
            return _members[name] as string;
        }

        /// <summary>An integer member, or fallback when absent or not an integer.</summary>
        public long Integer(string name, long fallback)
        {
            object v = _members[name];
            return v is long ? (long)v : fallback;
        }

        /// <summary>A nested object, or null when absent, null or not an object.</summary>
        public Json Object(string name)
        {
            return _members[name] as Json;
        }

        private static Json ParseObject(char[] s, ref int at, int depth)
        {
            if (depth > MaxDepth || !Expect(s, ref at, '{'))
            {
                return null;
            }

            Json o = new Json();
            SkipSpace(s, ref at);
            if (at < s.Length && s[at] == '}')
            {
                at++;
                return o;
            }

            while (true)
            {
                SkipSpace(s, ref at);
                string name = ParseString(s, ref at);
                if (name == null || o._members.Contains(name) || !Expect(s, ref at, ':'))
                {
                    return null; /* a duplicate name is ambiguous: refuse it */
                }

                bool ok;
                object value = ParseValue(s, ref at, depth, out ok);
                if (!ok)
                {
                    return null;
                }

                o._members[name] = value;
                SkipSpace(s, ref at);
                if (at >= s.Length)
                {
                    return null;
                }

                char c = s[at++];
                if (c == '}')
                {
                    return o;
                }

                if (c != ',')
                {
                    return null;
                }
            }
        }

        private static object ParseValue(char[] s, ref int at, int depth, out bool ok)
        {
            ok = true;
            SkipSpace(s, ref at);
            if (at >= s.Length)
            {
                ok = false;
                return null;
            }

            char c = s[at];
            if (c == '{')
            {
                Json nested = ParseObject(s, ref at, depth + 1);
                ok = nested != null;
                return nested;
            }

            if (c == '"')
            {
                string v = ParseString(s, ref at);
                ok = v != null;
                return v;
            }

            if (Literal(s, ref at, "true"))
            {
                return true;
            }

            if (Literal(s, ref at, "false"))
            {
                return false;
            }

            if (Literal(s, ref at, "null"))
            {
                return null;
            }

            return ParseInteger(s, ref at, out ok);
        }

        private static object ParseInteger(char[] s, ref int at, out bool ok)
        {
            bool negative = at < s.Length && s[at] == '-';
            if (negative)
            {
                at++;
            }

            long v = 0;
            int start = at;
            while (at < s.Length && s[at] >= '0' && s[at] <= '9')
            {
                if (at - start == 18)
                {
                    ok = false; /* beyond what a long holds safely */
                    return null;
                }

                v = (v * 10) + (s[at] - '0');
                at++;
            }

            ok = at > start && (at - start == 1 || s[start] != '0');
            return negative ? -v : v;
        }

        private static string ParseString(char[] s, ref int at)
        {
            if (!Expect(s, ref at, '"'))
            {
                return null;
            }

            char[] buffer = new char[s.Length - at];
            int n = 0;
            while (at < s.Length)
            {
                char c = s[at++];
                if (c == '"')
                {
                    return new string(buffer, 0, n);
                }

                if (c < ' ')
                {
                    return null;
                }

                if (c == '\\')
                {
                    if (at >= s.Length)
                    {
                        return null;
                    }

                    char e = s[at++];
                    if (e == 'u')
                    {
                        int code = 0;
                        for (int i = 0; i < 4; i++)
                        {
                            int d = at < s.Length ? Hex.DigitValue(s[at++]) : -1;
                            if (d < 0)
                            {
                                return null;
                            }

                            code = (code << 4) | d;
                        }

                        c = (char)code;
                    }
                    else
                    {
                        c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e == '"' || e == '\\' || e == '/' ? e : '\0';
                        if (c == '\0')
                        {
                            return null;
                        }
                    }
                }

                buffer[n++] = c;
            }

            return null;
        }

        private static bool Literal(char[] s, ref int at, string word)
        {
            if (at + word.Length > s.Length)
            {
                return false;
            }

            for (int i = 0; i < word.Length; i++)
            {
                if (s[at + i] != word[i])
                {
                    return false;
                }
            }

            at += word.Length;
            return true;
        }

        private static bool Expect(char[] s, ref int at, char c)
        {
            SkipSpace(s, ref at);
            if (at < s.Length && s[at] == c)
            {
                at++;
                return true;
            }

            return false;
        }

        private static void SkipSpace(char[] s, ref int at)
        {
            while (at < s.Length && (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r'))
            {
                at++;
            }
        }
    }
}
