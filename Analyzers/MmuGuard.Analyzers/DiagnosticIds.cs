namespace MmuGuard.Analyzers;

/// <summary>Every MmuGuard diagnostic ID, in one place.</summary>
internal static class DiagnosticIds
{
    // Ownership and coverage rules: the bug classes of docs/domain.md, "The bugs MmuGuard looks for".
    public const string OutOfBandSinkWithoutPin = "MMU0001";
    public const string UnconditionalPinOfMaybeNonRefcounted = "MMU0002";
    public const string PinRefusalIgnored = "MMU0003";
    public const string NotifierCoveredInstallWithoutSequenceCheck = "MMU0004";
    public const string PinLeak = "MMU0005";
    public const string UseAfterRelease = "MMU0006";
    public const string UnbalancedRelease = "MMU0007";
    public const string MarkWithoutReference = "MMU0008";
    public const string BorrowedPfnStoredInField = "MMU0009";
    public const string AnnotationMisuse = "MMU0010";

    // Misuse of the bookkeeping generator's attributes (reported by an analyzer, never by the generator).
    public const string MappingTypeNotPartial = "MMU0011";
    public const string MappingMemberWrongType = "MMU0012";
    public const string MappingConflictingAttributes = "MMU0013";
    public const string MappingTypeUnsupportedShape = "MMU0014";
    public const string MappingNameCollision = "MMU0015";

    // Suggestions that make contracts explicit (Info).
    public const string UnannotatedPageReturn = "MMU0016";

    // The analysis itself (Info): a body it could not finish.
    public const string BodyNotAnalysed = "MMU0017";

    // Problems on the lines of an MmuGuard.Contracts.txt additional file.
    public const string ContractsFileMalformedLine = "MMU0018";
    public const string ContractsFileUnknownSymbol = "MMU0019";
    public const string ContractsFileUnknownContract = "MMU0020";
    public const string ContractsFileContradiction = "MMU0021";

    // A PFN the CPU consumes in guest mode (a hardware field) that an invalidation would leave stale.
    public const string HardwareFieldWithoutReload = "MMU0022";
    // Contracts a body proves, suggested for code you own (Info); MMU0022 is taken by another rule.
    public const string InferredReleasesPin = "MMU0023";
    public const string InferredTakesPinOwnership = "MMU0024";
    public const string InferredRequiresPin = "MMU0025";
    public const string InferredNotifierCovered = "MMU0026";
}
