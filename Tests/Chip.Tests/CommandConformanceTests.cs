using System.Security.Cryptography;
using SecureOta.ChipEmulator;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>A command the driver has no class for: the exact APDU the vendor host library sends.</summary>
internal sealed class RawCommand(string hex) : ChipCommand
{
    public override byte[] GetBytes() => Convert.FromHexString(hex.Replace(" ", ""));
}

/// <summary>
/// The commands as the vendor host libraries send them (X-CMDC, M-CMD; optiga-trust.md 2.3), on both
/// parts: CalcHash with contexts, GenKeyPair exported and into sessions, the Trust X TLS-PRF example
/// flow through session contexts, the life-cycle and status objects, and what each part refuses.
/// </summary>
public sealed class CommandConformanceTests
{

    private static ChipResult Hash(ChipRig rig, byte sequenceTag, byte[] data, params byte[][] options)
    {
        byte[] inData = [.. ChipRig.Tlv(sequenceTag, data), .. options.SelectMany(o => o)];
        return rig.Driver.Execute(new RawCommand(Convert.ToHexString([0x30, 0xE2, (byte)(inData.Length >> 8), (byte)inData.Length, .. inData])));
    }

    [Theory]
    [InlineData("trust-x", 130)]
    [InlineData("trust-m", 209)]
    public void CalcHash_StartContinueFinal_WithAndWithoutExportedContexts(string partName, int contextLength)
    {
        using var rig = ChipRig.Opened(ChipPart.Named(partName));
        var data = RandomNumberGenerator.GetBytes(700);
        // On the chip's own context: start, continue, final.
        Assert.True(Hash(rig, 0x00, data[..100]).IsOk);
        Assert.True(Hash(rig, 0x02, data[100..333]).IsOk);
        var final = Hash(rig, 0x03, data[333..]);
        Assert.Equal([0x01, 0x00, 0x20, .. SHA256.HashData(data)], final.Data);
        // Continue without a started hash: out of sequence.
        Assert.Equal(ChipErrors.DeviceBase | 0x0B, Hash(rig, 0x02, data[..10]).Code);
        // Exported and imported contexts (the X host's only hash API): start+export, import+continue+export, import+final.
        var c1 = Hash(rig, 0x00, data[..64], ChipRig.Tlv(0x07, []));
        Assert.Equal(0x06, c1.Data[0]);
        Assert.Equal(contextLength, (c1.Data[1] << 8) | c1.Data[2]);
        var ctx1 = c1.Data[3..];
        var c2 = Hash(rig, 0x02, data[64..65], ChipRig.Tlv(0x06, ctx1), ChipRig.Tlv(0x07, []));
        var ctx2 = c2.Data[3..];
        Assert.Equal(contextLength, ctx2.Length);
        var done = Hash(rig, 0x03, data[65..], ChipRig.Tlv(0x06, ctx2));
        Assert.Equal([0x01, 0x00, 0x20, .. SHA256.HashData(data)], done.Data);
        // A context the chip did not write is refused (integrity).
        ctx2[5] ^= 1;
        Assert.Equal(ChipErrors.DeviceBase | 0x2D, Hash(rig, 0x03, data[..1], ChipRig.Tlv(0x06, ctx2)).Code);
        // Intermediate keeps going; terminate ends it.
        Assert.True(Hash(rig, 0x00, data[..10]).IsOk);
        Assert.Equal([0x01, 0x00, 0x20, .. SHA256.HashData(data[..20])], Hash(rig, 0x05, data[10..20]).Data);
        Assert.True(Hash(rig, 0x04, []).IsOk);
        Assert.Equal(ChipErrors.DeviceBase | 0x0B, Hash(rig, 0x03, data[..1]).Code);
        // The data of an object: E0C2 (the UID), offset 0, 27 bytes.
        var oid = Hash(rig, 0x11, [0xE0, 0xC2, 0x00, 0x00, 0x00, 0x1B]);
        Assert.Equal([0x01, 0x00, 0x20, .. SHA256.HashData(rig.State.Objects[0xE0C2].Data)], oid.Data);
    }

    [Theory]
    [InlineData("trust-x")]
    [InlineData("trust-m")]
    public void GenKeyPair_Exported_GivesAPairThatBelongsTogether(string partName)
    {
        using var rig = ChipRig.Opened(ChipPart.Named(partName));
        var r = rig.Driver.Execute(new RawCommand("38 03 00 03 07 00 00"));
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal("0100220420", Convert.ToHexString(r.Data[..5]));
        var d = r.Data[5..37];
        Assert.Equal("02004403420004", Convert.ToHexString(r.Data[37..44]));
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d, Q = new ECPoint { X = r.Data[44..76], Y = r.Data[76..108] } });
        var sig = key.SignHash(new byte[32]);
        Assert.True(key.VerifyHash(new byte[32], sig)); /* ImportParameters checked D against Q */
    }

    [Theory]
    [InlineData("trust-x")]
    [InlineData("trust-m")]
    public void TheTrustXTlsPrfExample_RunsThroughSessionContexts(string partName)
    {
        // X-EX example_optiga_crypt_tls_prf_sha256.c: key pair into a session, ECDH into the session, PRF from it.
        using var rig = ChipRig.Opened(ChipPart.Named(partName));
        var gen = rig.Driver.Execute(new RawCommand("38 03 00 09 01 00 02 E1 00 02 00 01 20"));
        Assert.True(gen.IsOk, gen.ToString());
        using var peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = peer.ExportParameters(false).Q;
        byte[] peerBits = [0x03, 0x42, 0x00, 0x04, .. q.X!, .. q.Y!];
        Assert.True(rig.Driver.Execute(new CalcSSec(0xE100, peerBits, 0xE100)).IsOk);
        var seed = RandomNumberGenerator.GetBytes(48);
        var derived = rig.Driver.Execute(new DeriveKey(0xE100, seed, 32, 0));
        Assert.True(derived.IsOk, derived.ToString());
        using var chipPub = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = gen.Data[7..39], Y = gen.Data[39..71] } });
        var shared = peer.DeriveRawSecretAgreement(chipPub.PublicKey);
        using var sha = new DotNetSha256();
        Assert.Equal(Tls12Prf.Derive(sha, shared, seed, 32), derived.Data);
        // Session contexts are not data objects, and a reset clears them.
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, rig.Driver.Read(0xE100, 0, 1).Code);
        Assert.True(rig.Driver.Reset().IsOk);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, rig.Driver.Execute(new DeriveKey(0xE100, seed, 32, 0)).Code);
    }

    [Fact]
    public void ATrustX_DerivesOnlyFromSessions_AndHasNoTrustMObjects()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustX);
        Assert.Equal(SecurityChip.PartTrustX, rig.Driver.Part);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, rig.Driver.DeriveKeyExport(0xF1D0, new byte[16], 16).Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, rig.Driver.Read(0xE120, 0, 8).Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, rig.Driver.Read(0xE140, 0, 1).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x03, rig.Driver.Execute(new SetDataObject(0xF1D1, 0, [1], SetDataObject.ParamCount)).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x0A, rig.Driver.Execute(new RawCommand("71 00 00 00")).Code); /* no CloseApplication */
        var metadata = rig.Driver.Execute(GetDataObject.Metadata(0xE0EF));
        Assert.DoesNotContain("E801", Convert.ToHexString(metadata.Data)); /* no data object type tag */
    }

    [Fact]
    public void ATrustM_HasItsObjects_AndHibernates()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        Assert.Equal(SecurityChip.PartTrustM, rig.Driver.Part);
        Assert.True(rig.Driver.Read(0xE120, 0, 8).IsOk);
        var gen = rig.Driver.Execute(new RawCommand("38 03 00 09 01 00 02 E1 01 02 00 01 10"));
        Assert.True(gen.IsOk);
        rig.Clock.Advance(60_000_000); /* the security event counter back to 0 */
        var close = rig.Driver.Execute(new RawCommand("71 01 00 00"));
        Assert.True(close.IsOk, close.ToString());
        Assert.Equal(8, close.Data.Length);
        var closed = rig.Driver.Read(0xE0C2, 0, 1);
        Assert.Equal(ChipErrors.DeviceBase | 0xFF, closed.Code); /* refused; with the application closed even F1C2 cannot say why */
        Assert.Equal(0x0C, rig.Emulator.Application.PeekLastError);
        var restore = rig.Driver.Execute(new RawCommand("70 01 00 18 D2760000044765 6E41757468 4170706C" + Convert.ToHexString(close.Data)));
        Assert.True(restore.IsOk, restore.ToString());
        Assert.True(rig.Driver.Sign(0xE101, new byte[32]).IsOk); /* the session key came back */
    }

    [Theory]
    [InlineData("trust-x")]
    [InlineData("trust-m")]
    public void TheLifeCycleAndStatusObjects_ExistWithTheirFormats(string partName)
    {
        using var rig = ChipRig.Opened(ChipPart.Named(partName));
        Assert.Equal(new byte[] { 0x07 }, rig.Driver.Read(0xE0C0, 0, 1).Data);
        Assert.Equal(new byte[] { 0x20 }, rig.Driver.Read(0xE0C1, 0, 1).Data);
        Assert.Equal(new byte[] { 0x14 }, rig.Driver.Read(0xE0C3, 0, 1).Data);
        Assert.Equal(new byte[] { 0x06 }, rig.Driver.Read(0xE0C4, 0, 1).Data);
        Assert.Equal(new byte[] { 0x07 }, rig.Driver.Read(0xF1C0, 0, 1).Data);
        Assert.True(rig.Driver.Read(0xF1C1, 0, 1).IsOk);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, rig.Driver.Execute(new SetDataObject(0xE0C0, 0, [0x01], SetDataObject.ParamWrite)).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x05, rig.Driver.Execute(new SetDataObject(0xE0C3, 0, [10], SetDataObject.ParamWrite)).Code);
        Assert.True(rig.Driver.Execute(new SetDataObject(0xE0C3, 0, [40], SetDataObject.ParamWrite)).IsOk);
        Assert.Equal(ChipErrors.DeviceBase | 0x05, rig.Driver.Execute(new SetDataObject(0xE0C4, 0, [16], SetDataObject.ParamWrite)).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x05, rig.Driver.Execute(new SetDataObject(0xF1C0, 0, [0x03], SetDataObject.ParamWrite)).Code); /* never down */
    }

    [Theory]
    [InlineData("trust-x", "08000000", 10_000)]
    [InlineData("trust-m", "08800000", 15_000)]
    public void Registers_AreThePartsOwn_AndI2cModeSwitchesToFmPlus(string partName, string idleState, int startupUs)
    {
        using var rig = new ChipRig(ChipPart.Named(partName));
        var bus = new RawBus(rig.Emulator, rig.Clock);
        rig.Clock.Advance(startupUs);
        Assert.Equal(idleState, RawBus.Hex(bus.Register(0x82, 4)));
        Assert.Equal("00000190", RawBus.Hex(bus.Register(0x84, 4)));
        bus.WriteRegister(0x89, 0x00, 0x04);                       /* Fm+, volatile */
        Assert.Equal("000003E8", RawBus.Hex(bus.Register(0x84, 4)));
        rig.Emulator.PowerCycle();
        rig.Clock.Advance(startupUs - 100);
        Assert.Equal(SecureOta.Drivers.I2c.I2cStatus.Nack, rig.Emulator.Write([0x82], 0, 1)); /* still starting up */
        rig.Clock.Advance(200);
        Assert.Equal("00000190", RawBus.Hex(bus.Register(0x84, 4)));  /* volatile mode gone */
        bus.WriteRegister(0x89, 0x80, 0x04);                       /* Fm+, persistent */
        rig.Emulator.PowerCycle();
        rig.Clock.Advance(startupUs);
        Assert.Equal("000003E8", RawBus.Hex(bus.Register(0x84, 4)));
        // The driver runs at 400 kHz: it puts a chip left in Fm+ back to Sm&Fm, as the host library does.
        Assert.True(rig.Open().IsOk);
        Assert.Equal("00000190", RawBus.Hex(bus.Register(0x84, 4)));
    }
}

/// <summary>SetDataObject(metadata) as the host libraries write it (SRM-M Table 21 fn 10; X-CMDC "20 03 C0 01 07").</summary>
public sealed class MetadataWriteTests
{
    private static ChipResult WriteMetadata(ChipRig rig, int oid, string tlv) =>
        rig.Driver.Execute(new SetDataObject(oid, 0, Convert.FromHexString(tlv), SetDataObject.ParamMetadata));

    [Theory]
    [InlineData("trust-x")]
    [InlineData("trust-m")]
    public void AccessConditionsChange_UntilTheObjectIsOperational_ThenNothing(string partName)
    {
        using var rig = new ChipRig(ChipPart.Named(partName));
        Assert.True(rig.Open().IsOk);
        Assert.True(rig.Driver.Execute(new SetDataObject(0xF1D4, 0, [1, 2, 3], SetDataObject.ParamWrite)).IsOk);
        // Read only over... nothing: NEV; then back to ALW; then lock with LcsO = op and change "LcsO < op".
        Assert.True(WriteMetadata(rig, 0xF1D4, "2003D101FF").IsOk);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, rig.Driver.Read(0xF1D4, 0, 3).Code);
        Assert.True(WriteMetadata(rig, 0xF1D4, "2008D10100D003E1FC07").IsOk);
        Assert.Equal(new byte[] { 1, 2, 3 }, rig.Driver.Read(0xF1D4, 0, 3).Data);
        Assert.True(WriteMetadata(rig, 0xF1D4, "2003C00103").IsOk);
        Assert.Equal(ChipErrors.DeviceBase | 0x11, WriteMetadata(rig, 0xF1D4, "2003C00101").Code);   /* never down */
        Assert.True(WriteMetadata(rig, 0xF1D4, "2003C00107").IsOk);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, WriteMetadata(rig, 0xF1D4, "2003D10100").Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, WriteMetadata(rig, 0xF1D4, "2003C0010F").Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, rig.Driver.Execute(new SetDataObject(0xF1D4, 0, [9], SetDataObject.ParamWrite)).Code);
        var metadata = rig.Driver.Execute(GetDataObject.Metadata(0xF1D4)).Data;
        Assert.Contains("C00107", Convert.ToHexString(metadata));
    }

    [Theory]
    [InlineData("trust-x", "2004C4020100")]   /* max size is the chip's */
    [InlineData("trust-x", "2003E80121")]     /* no object types on a Trust X */
    [InlineData("trust-x", "2004C1020001")]   /* no versions on a Trust X */
    [InlineData("trust-m", "2003E10120")]     /* key usage of a data object */
    [InlineData("trust-m", "2003E801FE")]     /* no such type */
    [InlineData("trust-m", "2103C00107")]     /* not a metadata TLV */
    [InlineData("trust-m", "2004C00107")]     /* length that lies */
    public void WhatTheChipOwnsOrDoesNotKnow_IsRefusedWith0x11_AndNothingChanges(string partName, string tlv)
    {
        using var rig = new ChipRig(ChipPart.Named(partName));
        Assert.True(rig.Open().IsOk);
        var before = Convert.ToHexString(rig.Driver.Execute(GetDataObject.Metadata(0xF1D5)).Data);
        Assert.Equal(ChipErrors.DeviceBase | 0x11, WriteMetadata(rig, 0xF1D5, tlv).Code);
        Assert.Equal(before, Convert.ToHexString(rig.Driver.Execute(GetDataObject.Metadata(0xF1D5)).Data));
    }

    [Fact]
    public void OnATrustM_TheTypeAndVersionChange()
    {
        using var rig = new ChipRig(ChipPart.TrustM);
        Assert.True(rig.Open().IsOk);
        Assert.True(WriteMetadata(rig, 0xF1D6, "2007E80121C1020005").IsOk);
        var metadata = Convert.ToHexString(rig.Driver.Execute(GetDataObject.Metadata(0xF1D6)).Data);
        Assert.Contains("C1020005", metadata);
        Assert.Contains("E80121", metadata);
    }
}
