using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace SecureOta.Pkcs11;

/// <summary>
/// A logged-in session on one PKCS#11 token (PKCS#11 v2.40; Pkcs11Interop 5). Keys are found by
/// label. What is made here:
/// - EC P-256 key pairs (CKM_EC_KEY_PAIR_GEN) whose private half is CKA_SENSITIVE, not
///   CKA_EXTRACTABLE, CKA_TOKEN: signing (CKM_ECDSA over a SHA-256 digest, r‖s out) happens inside;
/// - generic secrets (CKK_GENERIC_SECRET, 32 bytes) for HMAC-SHA256 inside the token
///   (CKM_SHA256_HMAC): the update master secret. It is sensitive (its value cannot be read); it is
///   extractable only when made "for provisioning", and then only wrapped (C_WrapKey), because the
///   factory station must write it into Trust M chips (docs/hsm.md says where it then goes).
/// </summary>
public sealed class Pkcs11Token : IDisposable
{
    // DER of the OID prime256v1 / secp256r1 (1.2.840.10045.3.1.7), CKA_EC_PARAMS (PKCS#11 2.40 section 2.3.3).
    private static readonly byte[] P256Params = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
    public const int SecretLength = 32;

    private readonly Pkcs11InteropFactories _f = new();
    private readonly IPkcs11Library _library;
    private readonly ISession _session;

    private Pkcs11Token(IPkcs11Library library, ISession session)
    {
        _library = library;
        _session = session;
    }

    public string TokenLabel { get; private init; } = "";

    /// <summary>Loads the module, finds the token by label, opens a read-write session and logs the user in.</summary>
    public static Pkcs11Token Open(string module, string tokenLabel, string pin)
    {
        var library = Load(module);
        try
        {
            var slot = library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => s.GetTokenInfo().Label.Trim() == tokenLabel)
                ?? throw new TokenException($"{module}: no token labelled '{tokenLabel}' (initialise one: update-tool token init, or your HSM's own tool)");
            var session = slot.OpenSession(SessionType.ReadWrite);
            try { session.Login(CKU.CKU_USER, pin); }
            catch (Pkcs11Exception e) when (e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LEN_RANGE)
            {
                session.Dispose();
                throw new TokenException($"token '{tokenLabel}': the PIN is wrong", e);
            }
            return new Pkcs11Token(library, session) { TokenLabel = tokenLabel };
        }
        catch
        {
            library.Dispose();
            throw;
        }
    }

    /// <summary>Initialises a token in the first slot without one (SoftHSM2 keeps one free), sets the user PIN.</summary>
    public static void InitToken(string module, string tokenLabel, string soPin, string userPin)
    {
        using var library = Load(module);
        if (library.GetSlotList(SlotsType.WithTokenPresent).Any(s => s.GetTokenInfo().Label.Trim() == tokenLabel))
            throw new TokenException($"{module}: a token labelled '{tokenLabel}' exists already; a ceremony makes a token once");
        var free = library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => !s.GetTokenInfo().TokenFlags.TokenInitialized)
            ?? throw new TokenException($"{module}: no uninitialised slot to make a token in");
        free.InitToken(soPin, tokenLabel);
        var slot = library.GetSlotList(SlotsType.WithTokenPresent).First(s => s.GetTokenInfo().Label.Trim() == tokenLabel);
        using var session = slot.OpenSession(SessionType.ReadWrite);
        session.Login(CKU.CKU_SO, soPin);
        session.InitPin(userPin);
        session.Logout();
    }

    private static IPkcs11Library Load(string module)
    {
        if (!File.Exists(module)) throw new TokenException($"{module}: no such PKCS#11 module (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so)");
        DlopenResolver.Install();
        var f = new Pkcs11InteropFactories();
        try { return f.Pkcs11LibraryFactory.LoadPkcs11Library(f, module, AppType.MultiThreaded); }
        catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or DllNotFoundException)
        {
            throw new TokenException($"{module}: the PKCS#11 module did not load ({e.Message})", e);
        }
    }

    private IObjectAttribute A(CKA type, object value) => value switch
    {
        bool b => _f.ObjectAttributeFactory.Create(type, b),
        string s => _f.ObjectAttributeFactory.Create(type, s),
        byte[] bytes => _f.ObjectAttributeFactory.Create(type, bytes),
        CKO o => _f.ObjectAttributeFactory.Create(type, o),
        CKK k => _f.ObjectAttributeFactory.Create(type, k),
        int n => _f.ObjectAttributeFactory.Create(type, (ulong)n),
        _ => throw new ArgumentException("attribute type"),
    };

    private IObjectHandle? Find(CKO cls, string label) =>
        _session.FindAllObjects([A(CKA.CKA_CLASS, cls), A(CKA.CKA_LABEL, label)]).FirstOrDefault();

    private IObjectHandle Require(CKO cls, string label, string what) =>
        Find(cls, label) ?? throw new TokenException($"token '{TokenLabel}': no {what} labelled '{label}' (make it with update-tool token {(cls == CKO.CKO_SECRET_KEY ? "master-secret" : "keygen")} --label {label})");

    public bool Has(string label) => Find(CKO.CKO_PRIVATE_KEY, label) is not null || Find(CKO.CKO_SECRET_KEY, label) is not null;

    /// <summary>
    /// A P-256 key pair made inside the token. Returns the public key. The private key never leaves it,
    /// unless it is made for personalisation (the class key-agreement key, which the chip maker puts
    /// into every Trust X of the class): then it leaves wrapped only (ExportPrivateKeyForPersonalisation).
    /// </summary>
    public ECParameters GenerateEcKey(string label, bool forPersonalisation = false)
    {
        if (Has(label)) throw new TokenException($"token '{TokenLabel}': a key labelled '{label}' exists already");
        byte[] id = RandomNumberGenerator.GetBytes(8);
        var pub = new List<IObjectAttribute>
        {
            A(CKA.CKA_TOKEN, true), A(CKA.CKA_PRIVATE, false), A(CKA.CKA_LABEL, label), A(CKA.CKA_ID, id),
            A(CKA.CKA_VERIFY, true), A(CKA.CKA_EC_PARAMS, P256Params),
        };
        var priv = new List<IObjectAttribute>
        {
            A(CKA.CKA_TOKEN, true), A(CKA.CKA_PRIVATE, true), A(CKA.CKA_LABEL, label), A(CKA.CKA_ID, id),
            A(CKA.CKA_SIGN, true), A(CKA.CKA_DERIVE, forPersonalisation), A(CKA.CKA_SENSITIVE, true), A(CKA.CKA_EXTRACTABLE, forPersonalisation),
        };
        _session.GenerateKeyPair(_f.MechanismFactory.Create(CKM.CKM_EC_KEY_PAIR_GEN), pub, priv, out _, out _);
        return PublicKey(label);
    }

    /// <summary>The public key of a key pair (CKA_EC_POINT: a DER OCTET STRING around 04 X Y).</summary>
    public ECParameters PublicKey(string label)
    {
        var handle = Require(CKO.CKO_PUBLIC_KEY, label, "public key");
        var point = _session.GetAttributeValue(handle, [CKA.CKA_EC_POINT])[0].GetValueAsByteArray();
        if (point.Length == 67 && point[0] == 0x04 && point[1] == 0x41) point = point[2..]; /* DER-wrapped, as PKCS#11 2.40 asks */
        if (point.Length != 65 || point[0] != 0x04) throw new TokenException($"token '{TokenLabel}': '{label}' is not an uncompressed P-256 public key");
        return new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } };
    }

    /// <summary>ECDSA inside the token over a SHA-256 digest: r‖s, 64 bytes (PKCS#11 2.40 section 2.3.1).</summary>
    public byte[] SignDigest(string label, byte[] digest)
    {
        if (digest.Length != 32) throw new ArgumentException("a SHA-256 digest is 32 bytes");
        var key = Require(CKO.CKO_PRIVATE_KEY, label, "signing key");
        var signature = _session.Sign(_f.MechanismFactory.Create(CKM.CKM_ECDSA), key, digest);
        if (signature.Length != 64) throw new TokenException($"token '{TokenLabel}': ECDSA gave {signature.Length} bytes, not r‖s of 64");
        return signature;
    }

    /// <summary>A 32-byte secret made inside the token (CKM_GENERIC_SECRET_KEY_GEN); its value is never readable.</summary>
    public void GenerateSecret(string label, bool forProvisioning)
    {
        if (Has(label)) throw new TokenException($"token '{TokenLabel}': a key labelled '{label}' exists already");
        _session.GenerateKey(_f.MechanismFactory.Create(CKM.CKM_GENERIC_SECRET_KEY_GEN), SecretTemplate(label, forProvisioning, null));
    }

    /// <summary>Imports an existing secret once (a ceremony that moves a file's secret into the token); the caller then destroys the file.</summary>
    public void ImportSecret(string label, byte[] value, bool forProvisioning)
    {
        if (value.Length is < 16 or > 64) throw new TokenException("the update master secret is 16..64 bytes");
        if (Has(label)) throw new TokenException($"token '{TokenLabel}': a key labelled '{label}' exists already");
        _session.CreateObject(SecretTemplate(label, forProvisioning, value));
    }

    private List<IObjectAttribute> SecretTemplate(string label, bool forProvisioning, byte[]? value)
    {
        var t = new List<IObjectAttribute>
        {
            A(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), A(CKA.CKA_KEY_TYPE, CKK.CKK_GENERIC_SECRET), A(CKA.CKA_TOKEN, true),
            A(CKA.CKA_PRIVATE, true), A(CKA.CKA_LABEL, label), A(CKA.CKA_SIGN, true), A(CKA.CKA_VERIFY, true),
            A(CKA.CKA_SENSITIVE, true), A(CKA.CKA_EXTRACTABLE, forProvisioning),
        };
        if (value is null) t.Add(A(CKA.CKA_VALUE_LEN, SecretLength));
        else t.Add(A(CKA.CKA_VALUE, value));
        return t;
    }

    /// <summary>HMAC-SHA256 with a token secret, inside the token (CKM_SHA256_HMAC).</summary>
    public byte[] Hmac(string label, byte[] data)
    {
        var key = Require(CKO.CKO_SECRET_KEY, label, "secret");
        return _session.Sign(_f.MechanismFactory.Create(CKM.CKM_SHA256_HMAC), key, data);
    }

    /// <summary>Reads a key's value in the clear, as an attacker with the PIN would try: the token refuses (the test asserts it).</summary>
    public byte[]? TryReadValue(string label)
    {
        var key = Find(CKO.CKO_SECRET_KEY, label) ?? Find(CKO.CKO_PRIVATE_KEY, label) ?? throw new TokenException($"no key '{label}'");
        var attribute = _session.GetAttributeValue(key, [CKA.CKA_VALUE])[0];
        return attribute.CannotBeRead ? null : attribute.GetValueAsByteArray();
    }

    /// <summary>
    /// The master secret for the factory station: wrapped inside the token (CKM_AES_KEY_WRAP, RFC 3394)
    /// under a fresh session key that exists only for this call, unwrapped in this process's memory.
    /// Refused for a secret not made for provisioning.
    /// </summary>
    public byte[] ExportForProvisioning(string label)
    {
        var secret = Require(CKO.CKO_SECRET_KEY, label, "secret");
        return WrapOut(secret, CKM.CKM_AES_KEY_WRAP, label, padded: false);
    }

    /// <summary>
    /// A private key made for personalisation, as PKCS#8: wrapped inside the token (CKM_AES_KEY_WRAP_PAD,
    /// RFC 5649) under a session key that exists only for this call, unwrapped in this process's memory.
    /// </summary>
    public byte[] ExportPrivateKeyForPersonalisation(string label)
    {
        var key = Require(CKO.CKO_PRIVATE_KEY, label, "key");
        return WrapOut(key, CKM.CKM_AES_KEY_WRAP_PAD, label, padded: true);
    }

    private byte[] WrapOut(IObjectHandle key, CKM mechanism, string label, bool padded)
    {
        var wrapKey = _session.GenerateKey(_f.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN),
        [
            A(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), A(CKA.CKA_KEY_TYPE, CKK.CKK_AES), A(CKA.CKA_TOKEN, false), A(CKA.CKA_VALUE_LEN, 16),
            A(CKA.CKA_WRAP, true), A(CKA.CKA_SENSITIVE, false), A(CKA.CKA_EXTRACTABLE, true),
        ]);
        try
        {
            byte[] wrapped;
            try { wrapped = _session.WrapKey(_f.MechanismFactory.Create(mechanism), wrapKey, key); }
            catch (Pkcs11Exception e) when (e.RV is CKR.CKR_KEY_UNEXTRACTABLE or CKR.CKR_KEY_NOT_WRAPPABLE)
            {
                throw new TokenException($"token '{TokenLabel}': '{label}' was not made to leave the token, not even wrapped", e);
            }
            var kek = _session.GetAttributeValue(wrapKey, [CKA.CKA_VALUE])[0].GetValueAsByteArray();
            try
            {
                if (padded)
                {
                    using var aes = Aes.Create();
                    aes.Key = kek;
                    return aes.DecryptKeyWrapPadded(wrapped);
                }
                return SecureOta.Core.Crypto.AesKeyWrap.Unwrap(new SecureOta.Core.Host.Crypto.DotNetAesFactory().Create(kek), wrapped)
                    ?? throw new TokenException($"token '{TokenLabel}': the wrapped key did not unwrap");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(kek);
            }
        }
        finally
        {
            _session.DestroyObject(wrapKey);
        }
    }

    public void Dispose()
    {
        try { _session.Logout(); } catch (Pkcs11Exception) { /* the session may already be gone */ }
        _session.Dispose();
        _library.Dispose();
    }
}
