namespace SecureOta.ChipEmulator;

/// <summary>
/// Evaluates an access-condition expression (optiga-trust.md 3.3): ALW 00, NEV FF, LcsO E1 op ref,
/// LcsA E0 op ref, Conf 20 OID (only over the shielded connection), Int 21 OID (only through a
/// protected update, which checks it itself: never satisfied here), Auto 23 OID (while the chip holds
/// the auto state of that AUTOREF secret, set by an HMAC verification), joined by && (FD) and || (FE).
/// A missing condition means NEV.
/// </summary>
public static class AccessCondition
{
    public const byte Always = 0x00;
    public const byte Never = 0xFF;
    public const byte Conf = 0x20;
    public const byte Int = 0x21;
    public const byte Auto = 0x23;
    public const byte LcsA = 0xE0;
    public const byte LcsO = 0xE1;
    public const byte OpEqual = 0xFA, OpGreater = 0xFB, OpLess = 0xFC, OpAnd = 0xFD, OpOr = 0xFE;

    public static bool Allows(byte[]? expression, byte objectLcs, byte applicationLcs, bool shielded, Func<int, bool>? autoState = null)
    {
        if (expression is null || expression.Length == 0) return false;
        if (expression.Length == 1) return expression[0] == Always;
        bool any = false, all = true;
        int i = 0;
        while (i < expression.Length)
        {
            bool term;
            switch (expression[i])
            {
                case LcsO:
                case LcsA:
                    if (i + 2 >= expression.Length) return false;
                    byte lcs = expression[i] == LcsO ? objectLcs : applicationLcs;
                    term = expression[i + 1] switch
                    {
                        OpEqual => lcs == expression[i + 2],
                        OpGreater => lcs > expression[i + 2],
                        OpLess => lcs < expression[i + 2],
                        _ => false,
                    };
                    i += 3;
                    break;
                case Conf:
                    term = shielded;
                    i += 3;
                    break;
                case Int:
                    term = false; /* satisfied only inside SetObjectProtected, which checks the trust anchor itself */
                    i += 3;
                    break;
                case Auto:
                    if (i + 2 >= expression.Length) return false;
                    term = autoState?.Invoke((expression[i + 1] << 8) | expression[i + 2]) ?? false;
                    i += 3;
                    break;
                default:
                    return false; /* unsupported identifier: fail closed */
            }
            all &= term;
            if (i < expression.Length)
            {
                if (expression[i] == OpOr)
                {
                    any |= all;
                    all = true;
                }
                else if (expression[i] != OpAnd) return false;
                i++;
            }
        }
        return any | all;
    }
}
