namespace SecureOta.Core.Cose
{
    /// <summary>COSE values used by the SUIT profile (RFC 9052, RFC 9053, IANA COSE registries).</summary>
    public static class CoseLabels
    {
        /// <summary>CBOR tag of COSE_Sign1 (RFC 9052, 2).</summary>
        public const ulong TagSign1 = 18;

        /// <summary>CBOR tag of COSE_Encrypt (RFC 9052, 2).</summary>
        public const ulong TagEncrypt = 96;

        /// <summary>Header parameter "alg" (RFC 9052, 3.1).</summary>
        public const int HeaderAlg = 1;

        /// <summary>Header parameter "kid" (RFC 9052, 3.1).</summary>
        public const int HeaderKid = 4;

        /// <summary>Header parameter "IV" (RFC 9052, 3.1).</summary>
        public const int HeaderIv = 5;

        /// <summary>Header parameter "salt" (RFC 9053, 5.1; IANA COSE Header Algorithm Parameters).</summary>
        public const int HeaderSalt = -20;

        /// <summary>ECDSA w/ SHA-256 on any curve; used with P-256 (RFC 9053, 2.1).</summary>
        public const int AlgEs256 = -7;

        /// <summary>ECDSA w/ SHA-256 on P-256, fully specified (RFC 9864 "ESP256").</summary>
        public const int AlgEsp256 = -9;

        /// <summary>AES Key Wrap with a 128-bit key (RFC 9053, 6.2.1).</summary>
        public const int AlgA128Kw = -3;

        /// <summary>ECDH-ES + A128KW (RFC 9053 section 6.3, Table 6).</summary>
        public const int AlgEcdhEsA128Kw = -29;

        /// <summary>Header parameter "ephemeral key" (RFC 9053 section 6.3.1, Table 4).</summary>
        public const int HeaderEphemeralKey = -1;

        // COSE_Key (RFC 9052 section 7; RFC 9053 section 7.1): kty, crv, x, y; EC2 and P-256.
        public const int KeyKty = 1;
        public const int KeyCrv = -1;
        public const int KeyX = -2;
        public const int KeyY = -3;
        public const int KtyEc2 = 2;
        public const int CrvP256 = 1;

        /// <summary>AES-CTR with a 128-bit key (draft-ietf-suit-firmware-encryption; IANA COSE).</summary>
        public const int AlgA128Ctr = -65534;

        /// <summary>Context string of a COSE_Sign1 Sig_structure (RFC 9052, 4.4).</summary>
        public const string Signature1Context = "Signature1";

        /// <summary>Length of an ES256 signature: r || s (RFC 9053, 2.1).</summary>
        public const int Es256SignatureLength = 64;
    }
}
