namespace MmuGuard.Sanitizer;

/// <summary>The severity of each <see cref="FindingKind"/>.</summary>
public static class FindingKindSeverity
{
    /// <summary>How much a finding of <paramref name="kind"/> matters.</summary>
    public static FindingSeverity Severity(this FindingKind kind) => kind switch
    {
        FindingKind.TrustedUnsafeMapping => FindingSeverity.TrustedUnsafe,
        FindingKind.UnmapOfUnmappedRange => FindingSeverity.Note,
        _ => FindingSeverity.Bug,
    };
}
