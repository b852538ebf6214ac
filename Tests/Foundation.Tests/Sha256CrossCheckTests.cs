using SecureOta.Core.Crypto;
using Xunit;

namespace SecureOta.Foundation.Tests;

/// <summary>The device SHA-256 against .NET's, over every padding boundary and random chunkings.</summary>
public sealed class Sha256CrossCheckTests
{
    [Fact]
    public void EveryLengthUpTo300_MatchesDotNet()
    {
        var data = new byte[300];
        new Random(1).NextBytes(data);
        for (int length = 0; length <= data.Length; length++)
        {
            var slice = data.AsSpan(0, length).ToArray();
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(slice), Sha256.Hash(slice));
        }
    }

    [Fact]
    public void RandomChunking_MatchesDotNet()
    {
        var random = new Random(7);
        for (int round = 0; round < 50; round++)
        {
            var data = new byte[random.Next(0, 20_000)];
            random.NextBytes(data);
            var sha = new Sha256();
            for (int offset = 0; offset < data.Length;)
            {
                int count = Math.Min(random.Next(0, 700), data.Length - offset);
                sha.Update(data, offset, count);
                offset += count;
            }
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(data), sha.Finish());
        }
    }
}
