using System.Numerics;
using System.Security.Cryptography;
using SecureOta.Core.Cose;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>The low-S byte arithmetic (device code) against .NET's BigInteger and ECDsa.</summary>
public sealed class Es256SignatureTests
{
    private static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    [Fact]
    public void NegatedS_IsNMinusS_VerifiesTheSame_AndExactlyOneOfThePairIsLowS()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        for (int i = 0; i < 50; i++)
        {
            var data = BitConverter.GetBytes(i);
            var signature = key.SignData(data, HashAlgorithmName.SHA256);
            var negated = Es256Signature.WithNegatedS(signature);
            var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
            Assert.Equal(Order - s, new BigInteger(negated.AsSpan(32, 32), isUnsigned: true, isBigEndian: true));
            Assert.Equal(signature[..32], negated[..32]);
            Assert.True(key.VerifyData(data, negated, HashAlgorithmName.SHA256));
            Assert.NotEqual(Es256Signature.IsLowS(signature), Es256Signature.IsLowS(negated));
            Assert.Equal(s <= Order / 2, Es256Signature.IsLowS(signature));
            Assert.True(Es256Signature.IsLowS(Es256Signature.ToLowS(signature)));
        }
    }
}
