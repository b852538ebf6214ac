namespace SecureOta.Agent.Update.Api
{
    /// <summary>Writes JSON values (RFC 8259 section 7 escaping) for the few small documents the device sends.</summary>
    public static class JsonText
    {
        public static string Quote(string value)
        {
            if (value == null)
            {
                return "null";
            }

            string result = "\"";
            int clean = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                string escape = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c < ' ' ? "\\u00" + Hex.Digit(c >> 4) + Hex.Digit(c & 0xF) : null;
                if (escape != null)
                {
                    result += value.Substring(clean, i - clean) + escape;
                    clean = i + 1;
                }
            }

            return result + value.Substring(clean) + "\"";
        }
    }
}
