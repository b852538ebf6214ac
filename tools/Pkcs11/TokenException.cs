namespace SecureOta.Pkcs11;

/// <summary>A token operation that failed, with what, where and what to do next (never the PIN or a key).</summary>
public sealed class TokenException(string message, Exception? inner = null) : Exception(message, inner);
