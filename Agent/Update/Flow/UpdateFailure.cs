namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// Why an update did not reach the boot stage, as the agent reports it to the server. Values are
    /// stable. Data-set problems carry the SuitError (docs/data-set-format.md, section 5) in Detail.
    /// </summary>
    public enum UpdateFailure
    {
        None = 0,

        /// <summary>The data set was refused (Detail = SuitError): bad signature, rollback, wrong class, digest...</summary>
        DataSetRejected = 1,

        /// <summary>The security chip failed (Detail = ChipResult code).</summary>
        Chip = 2,

        /// <summary>The download failed or ended early.</summary>
        Network = 3,

        /// <summary>A flash operation failed (Detail = FlashStatus).</summary>
        Flash = 4,

        /// <summary>The image does not fit the staging partition.</summary>
        TooLarge = 5,

        /// <summary>The boot stage refused the request or reverted the image (Detail = its reason, bs_result.h).</summary>
        BootStage = 6,
    }
}
