using System.Security.Cryptography;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The elliptic curves of the command set, by algorithm identifier (SRM-M "Algorithm Identifier";
/// M-COM optiga_ecc_curve_t: 0x03 NIST P-256, 0x04 P-384, 0x05 P-521, 0x13/0x15/0x16 Brainpool
/// P256r1/P384r1/P512r1). A Trust X has only the first two (X-CMDH); the Trust M V3 host library enables
/// all six in its default configuration (M-LIBCFG OPTIGA_CRYPT_ECC_NIST_P_521_ENABLED and
/// OPTIGA_CRYPT_ECC_BRAINPOOL_P_R1_ENABLED). Which ones a part takes is ChipPart.Curves.
/// </summary>
public sealed class EccCurve
{
    public required byte AlgId { get; init; }
    public required ECCurve Curve { get; init; }

    /// <summary>The length of a coordinate, of a private key and of r or s, in bytes.</summary>
    public required int Coordinate { get; init; }

    /// <summary>The curve's size in bits (P-521: 521).</summary>
    public required int Bits { get; init; }

    private static readonly EccCurve[] All =
    [
        new() { AlgId = 0x03, Curve = ECCurve.NamedCurves.nistP256, Coordinate = 32, Bits = 256 },
        new() { AlgId = 0x04, Curve = ECCurve.NamedCurves.nistP384, Coordinate = 48, Bits = 384 },
        new() { AlgId = 0x05, Curve = ECCurve.NamedCurves.nistP521, Coordinate = 66, Bits = 521 },
        new() { AlgId = 0x13, Curve = ECCurve.NamedCurves.brainpoolP256r1, Coordinate = 32, Bits = 256 },
        new() { AlgId = 0x15, Curve = ECCurve.NamedCurves.brainpoolP384r1, Coordinate = 48, Bits = 384 },
        new() { AlgId = 0x16, Curve = ECCurve.NamedCurves.brainpoolP512r1, Coordinate = 64, Bits = 512 },
    ];

    /// <summary>The curve with that identifier if the part has it, else null (the command's 0x03 or 0x05).</summary>
    public static EccCurve? Of(byte algId, ChipPart part) =>
        Array.IndexOf(part.Curves, algId) < 0 ? null : Array.Find(All, c => c.AlgId == algId);

    /// <summary>The curve of a key (by its OID), or null.</summary>
    public static EccCurve? OfKey(ECAlgorithm key)
    {
        string? oid = key.ExportParameters(false).Curve.Oid?.Value;
        return Array.Find(All, c => c.Curve.Oid.Value == oid);
    }

    /// <summary>
    /// A datasheet duration given for P-256 (DS-X Table 15, DS-M Table 18 give no other curve), charged for
    /// this curve: scaled by the cube of the size ratio for a larger one (an estimate on the slow side: a
    /// field multiplication grows with the square of the size, the scalar multiplication's steps with it
    /// once more), so no curve is charged less than the P-256 figure.
    /// </summary>
    public int Scaled(int p256Us) => Bits <= 256 ? p256Us : (int)(p256Us * Math.Pow(Bits / 256.0, 3));

    /// <summary>The public key as the chip writes it: DER BIT STRING 03 len 00 04 X Y (SRM-M "ECC Public Key"), long-form length past 127.</summary>
    public static byte[] BitString(ECParameters p)
    {
        int content = 2 + p.Q.X!.Length * 2;
        byte[] length = content < 0x80 ? [(byte)content] : [0x81, (byte)content];
        return [0x03, .. length, 0x00, 0x04, .. p.Q.X!, .. p.Q.Y!];
    }

    /// <summary>A public key on this curve from its BIT STRING, or null when the encoding or its length is wrong.</summary>
    public ECParameters? PublicFromBitString(byte[] b)
    {
        int content = 2 + 2 * Coordinate, header = content < 0x80 ? 2 : 3;
        if (b.Length != header + content || b[0] != 0x03) return null;
        if (header == 2 ? b[1] != content : b[1] != 0x81 || b[2] != content) return null;
        if (b[header] != 0x00 || b[header + 1] != 0x04) return null;
        int x = header + 2;
        return new ECParameters { Curve = Curve, Q = new ECPoint { X = b[x..(x + Coordinate)], Y = b[(x + Coordinate)..] } };
    }
}
