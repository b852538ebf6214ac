using SecureOta.Core.Suit;

namespace SecureOta.UpdateTool.DataSets;

/// <summary>Human names of SUIT command identifiers (draft-ietf-suit-manifest-37) for inspect.</summary>
public static class SuitNames
{
    public static string Command(int id) => id switch
    {
        SuitLabels.ConditionVendorIdentifier => "condition-vendor-identifier",
        SuitLabels.ConditionClassIdentifier => "condition-class-identifier",
        SuitLabels.ConditionImageMatch => "condition-image-match",
        SuitLabels.ConditionComponentSlot => "condition-component-slot",
        SuitLabels.ConditionCheckContent => "condition-check-content",
        SuitLabels.ConditionAbort => "condition-abort",
        SuitLabels.ConditionDeviceIdentifier => "condition-device-identifier",
        SuitLabels.ConditionVersion => "condition-version",
        SuitLabels.DirectiveSetComponentIndex => "directive-set-component-index",
        SuitLabels.DirectiveTryEach => "directive-try-each",
        SuitLabels.DirectiveWrite => "directive-write",
        SuitLabels.DirectiveOverrideParameters => "directive-override-parameters",
        SuitLabels.DirectiveFetch => "directive-fetch",
        SuitLabels.DirectiveCopy => "directive-copy",
        SuitLabels.DirectiveInvoke => "directive-invoke",
        SuitLabels.DirectiveSwap => "directive-swap",
        SuitLabels.DirectiveRunSequence => "directive-run-sequence",
        < 0 => $"custom({id})",
        _ => $"command({id})",
    };
}
