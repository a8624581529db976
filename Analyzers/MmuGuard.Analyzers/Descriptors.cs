using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers;

/// <summary>The descriptors of every MmuGuard rule, built by one helper that sets category, severity and help link.</summary>
internal static class Descriptors
{
    /// <summary>Where the rule pages live; each rule's help link is this plus <c>MMUxxxx.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/mmuguard/mmuguard/blob/main/docs/rules/";

    private const string Ownership = "MmuGuard.Ownership";
    private const string Coverage = "MmuGuard.Coverage";
    private const string Annotations = "MmuGuard.Annotations";
    private const string Generation = "MmuGuard.Generation";

    public static readonly DiagnosticDescriptor OutOfBandSinkWithoutPin = Create(
        DiagnosticIds.OutOfBandSinkWithoutPin,
        "Maps a non-refcounted page without notifier coverage",
        "'{0}' may be unpinned or non-refcounted when it reaches out-of-band sink '{1}' on some path; out-of-band mappings are not covered by MMU notifiers and need a successful pin",
        Coverage,
        DiagnosticSeverity.Warning,
        "An out-of-band mapping (a PFN handed to hardware outside the stage-2 tables) is invisible to MMU-notifier invalidation, so it must hold a pin for its whole life. A borrowed PFN, or one that may be non-refcounted, must be pinned with a try-pin whose success was checked before it reaches the sink.");

    public static readonly DiagnosticDescriptor UnconditionalPinOfMaybeNonRefcounted = Create(
        DiagnosticIds.UnconditionalPinOfMaybeNonRefcounted,
        "Unconditional pin of a possibly non-refcounted page",
        "'{0}' may be a non-refcounted page, but '{1}' pins it unconditionally; use a try-pin and handle its failure",
        Ownership,
        DiagnosticSeverity.Warning,
        "Pinning a valid-but-not-refcounted page moves its count from 0 to 1; the matching release frees it to the allocator while its real owner still uses it (CVE-2021-22543). Pin such pages only with a try-pin that fails on a zero count.");

    public static readonly DiagnosticDescriptor PinRefusalIgnored = Create(
        DiagnosticIds.PinRefusalIgnored,
        "The 'cannot pin' outcome is ignored",
        "The result of '{0}' is ignored; the 'cannot pin' outcome must be handled",
        Ownership,
        DiagnosticSeverity.Warning,
        "A try-pin or an out-of-band map may refuse a page that cannot be pinned. Discarding the result makes the caller carry on as if the pin were held.");

    public static readonly DiagnosticDescriptor NotifierCoveredInstallWithoutSequenceCheck = Create(
        DiagnosticIds.NotifierCoveredInstallWithoutSequenceCheck,
        "Notifier-covered install without the invalidation-sequence discipline",
        "'{0}' is installed into notifier-covered sink '{1}' {2}",
        Coverage,
        DiagnosticSeverity.Warning,
        "An invalidation may run between resolving a borrowed PFN and installing it. Snapshot the invalidation sequence before the resolve, and check for retry after it, in the same critical section of the invalidation lock as the install; only the 'no retry' outcome may reach the install.");

    public static readonly DiagnosticDescriptor PinLeak = Create(
        DiagnosticIds.PinLeak,
        "Pin leak",
        "The pin on '{0}' is not released, stored in an owning member or returned on some path",
        Ownership,
        DiagnosticSeverity.Warning,
        "Every pin taken must be released, handed to an owner ([Pinned] member, [TakesPinOwnership] parameter) or returned as owned on every path, including early returns and exceptions handled locally.");

    public static readonly DiagnosticDescriptor UseAfterRelease = Create(
        DiagnosticIds.UseAfterRelease,
        "Use after release",
        "'{0}' is used after its pin was released or its mapping was unmapped",
        Ownership,
        DiagnosticSeverity.Warning,
        "After the pin is dropped the page may be freed and handed to someone else at once; reading, mapping or dirtying it is a use-after-free.");

    public static readonly DiagnosticDescriptor UnbalancedRelease = Create(
        DiagnosticIds.UnbalancedRelease,
        "Double or unbalanced release",
        "'{0}' is released but holds no pin on some path ({1})",
        Ownership,
        DiagnosticSeverity.Warning,
        "Releasing a pin twice, or one never taken, drops a reference someone else owns and can free a page under a live mapping.");

    public static readonly DiagnosticDescriptor MarkWithoutReference = Create(
        DiagnosticIds.MarkWithoutReference,
        "Page marked without a held reference",
        "'{1}' needs a held reference on '{0}', which is not pinned on some path",
        Ownership,
        DiagnosticSeverity.Warning,
        "Marking a page dirty or accessed, or reading through a mapping, needs a reference that keeps the page alive; a borrowed or non-refcounted page may already belong to someone else.");

    public static readonly DiagnosticDescriptor BorrowedPfnStoredInField = Create(
        DiagnosticIds.BorrowedPfnStoredInField,
        "Borrowed PFN stored in a long-lived field",
        "Borrowed PFN '{0}' is stored into '{1}', which is neither notifier-covered nor an owner of a pin",
        Coverage,
        DiagnosticSeverity.Warning,
        "A borrowed PFN is valid only under notifier coverage. Storing it in a field outlives that coverage unless the field is invalidated by a notifier hook ([NotifierCovered]) or the PFN is pinned and the field owns the pin ([Pinned]).");

    public static readonly DiagnosticDescriptor AnnotationMisuse = Create(
        DiagnosticIds.AnnotationMisuse,
        "Ownership annotation misuse",
        "{0}",
        Annotations,
        DiagnosticSeverity.Warning,
        "MmuGuard's ownership attributes form a small vocabulary; contradictory or ill-placed attributes make every contract that depends on them meaningless.");

    public static readonly DiagnosticDescriptor MappingTypeNotPartial = Create(
        DiagnosticIds.MappingTypeNotPartial,
        "Type with generated mappings must be partial",
        "Type '{0}' declares generated mappings but is not partial",
        Generation,
        DiagnosticSeverity.Error,
        "The bookkeeping generator adds members to the type that declares out-of-band or notifier-covered mappings, so every declaration of it must be partial.");

    public static readonly DiagnosticDescriptor MappingMemberWrongType = Create(
        DiagnosticIds.MappingMemberWrongType,
        "Generated mapping member must be a mutable instance Pfn field",
        "Mapping field '{0}' {1}; the generator needs a mutable instance field of type MmuGuard.Physical.Pfn whose name leaves a stem",
        Generation,
        DiagnosticSeverity.Error,
        "The generated Map/Unmap and Refresh/Invalidate members write the mapped PFN into the field on every map and clear it on every unmap, so the field must be a writable per-instance MmuGuard.Physical.Pfn (the one from the assembly that declares the mapping attributes), and its name must leave a stem once leading '_'/'m_' and trailing '_' are stripped, one that can start a member name.");

    public static readonly DiagnosticDescriptor MappingConflictingAttributes = Create(
        DiagnosticIds.MappingConflictingAttributes,
        "Conflicting mapping attributes",
        "Mapping field '{0}' is marked both [{1}] and [{2}]; a mapping either holds a pin or is invalidated by an MMU notifier",
        Generation,
        DiagnosticSeverity.Error,
        "A field is either an out-of-band mapping (pinned, like kvm_vcpu_map) or a notifier-covered mapping (unpinned, like gfn_to_pfn_cache), never both; [Pinned] on a notifier-covered mapping or [NotifierCovered] on an out-of-band one says the same contradiction.");

    public static readonly DiagnosticDescriptor MappingTypeUnsupportedShape = Create(
        DiagnosticIds.MappingTypeUnsupportedShape,
        "Generator cannot serve this type",
        "Type '{0}' cannot get generated mappings: {1}",
        Generation,
        DiagnosticSeverity.Error,
        "The bookkeeping generator serves non-generic, non-record classes and structs (not static classes, readonly structs, ref structs or file-local types, and not deriving from another owner), at namespace level or nested in partial non-generic types, compiled as C# 8 or later. A struct owner may not have a notifier-covered mapping or a [StructLayout] that fixes field order. The generator writes nothing for any other owner, so this diagnostic is the only message the user gets.");

    public static readonly DiagnosticDescriptor MappingNameCollision = Create(
        DiagnosticIds.MappingNameCollision,
        "Generated member name collides with a user member",
        "The generated member '{0}' ({1}) collides with {2}",
        Generation,
        DiagnosticSeverity.Error,
        "The generator derives member names from each mapping field's stem (Map{Stem}, Unmap{Stem}, Is{Stem}Mapped, {Stem}Pfn; Refresh{Stem}, Invalidate{Stem}, Is{Stem}Valid, TryGet{Stem}) and adds UnmapAll, PinLedger, Teardown, when asked Dispose, and private '__' state members. A name is taken by a user member, by the owner's own name, by a non-private inherited member, or by an explicit INotifierCoveredMappingOwner implementation. Rename the mapping field or the clashing member.");

    public static readonly DiagnosticDescriptor UnannotatedPageReturn = Create(
        DiagnosticIds.UnannotatedPageReturn,
        "Helper returns a pinned or borrowed page without saying so",
        "'{0}' hands back only {1} pages through {2}; mark it [{3}] so callers are checked against that contract",
        Annotations,
        DiagnosticSeverity.Info,
        "Contracts are never inferred across methods: a helper that wraps GetUserPages or FollowPte hides the pin (or its absence) from every caller, so leaks and unpinned out-of-band mappings behind it go unreported. Say what it returns.");

    public static readonly DiagnosticDescriptor BodyNotAnalysed = Create(
        DiagnosticIds.BodyNotAnalysed,
        "Body too complex for the ownership analysis",
        "The ownership rules did not analyse '{0}': its flow did not settle within the analysis budget; split the method",
        Ownership,
        DiagnosticSeverity.Info,
        "The flow analysis behind MMU0001-MMU0009 visits each block of a body until its facts stop changing. A body whose flow does not settle within a budget proportional to its size is not judged at all rather than judged on half-computed facts; this diagnostic says so instead of going quiet.");

    public static readonly DiagnosticDescriptor ContractsFileMalformedLine = Create(
        DiagnosticIds.ContractsFileMalformedLine,
        "Contracts file line cannot be read",
        "{0}",
        Annotations,
        DiagnosticSeverity.Warning,
        "A line of MmuGuard.Contracts.txt is a documentation-comment ID (M:, F: or P:), then 'return:', 'param NAME:' or nothing (the member itself), then comma-separated contract words. A line that does not have this shape attaches nothing, so the members it meant to describe stay unchecked.");

    public static readonly DiagnosticDescriptor ContractsFileUnknownSymbol = Create(
        DiagnosticIds.ContractsFileUnknownSymbol,
        "Contracts file names a member the compilation does not see",
        "{0}",
        Annotations,
        DiagnosticSeverity.Warning,
        "The ID must name a member of this compilation or of an assembly it references, with parameter types written as full metadata names. A misspelt or stale ID attaches nothing, so calls to the real member stay unchecked.");

    public static readonly DiagnosticDescriptor ContractsFileUnknownContract = Create(
        DiagnosticIds.ContractsFileUnknownContract,
        "Contracts file uses an unknown contract word",
        "{0}",
        Annotations,
        DiagnosticSeverity.Warning,
        "The contract words are the ownership attribute names without 'Attribute'; a return value takes only Pinned, Borrowed and MayBeNonRefcounted. A line with an unknown word attaches nothing.");

    public static readonly DiagnosticDescriptor ContractsFileContradiction = Create(
        DiagnosticIds.ContractsFileContradiction,
        "Contracts file contradicts the member's contract",
        "{0}",
        Annotations,
        DiagnosticSeverity.Warning,
        "A contract from the file is merged with the member's own attributes and earlier lines; one that makes the member contradict itself (the combinations MMU0010 reports on attributes) is not attached, and the analysis keeps the contract the member already had.");

    public static readonly DiagnosticDescriptor HardwareFieldWithoutReload = Create(
        DiagnosticIds.HardwareFieldWithoutReload,
        "Notifier-covered PFN written into a hardware field that is not reloaded on invalidation",
        "'{0}' is {1} and is written into hardware field '{2}', which is neither pinned nor reloaded on invalidation through a vCPU request",
        Coverage,
        DiagnosticSeverity.Warning,
        "A PFN the CPU consumes in guest mode (a VMCS or VMCB address field) keeps being used until software rewrites it. An MMU notifier only clears software state, so a notifier-covered or borrowed PFN may reach such a field only when the invalidation raises a vCPU request that kicks the vCPU out of guest mode and reloads the field before re-entry ([ReloadedOnInvalidation]), as KVM does with KVM_REQ_APIC_PAGE_RELOAD; otherwise pin it for as long as the field holds it ([OutOfBandSink]).");
    public static readonly DiagnosticDescriptor InferredReleasesPin = Create(
        DiagnosticIds.InferredReleasesPin,
        "Parameter is released on every path without saying so",
        "'{0}' releases the pin of '{1}' on every path; mark the parameter [ReleasesPin] so callers are checked against that contract",
        Annotations,
        DiagnosticSeverity.Info,
        "The body hands the parameter to a [ReleasesPin] operation on every path and does nothing the contract forbids (the flow, run as if the parameter carried the contract, reports nothing new). Virtual, abstract, override and interface-implementing methods are not inferred: their contract belongs to the declaration every implementation shares.");

    public static readonly DiagnosticDescriptor InferredTakesPinOwnership = Create(
        DiagnosticIds.InferredTakesPinOwnership,
        "Parameter's pin is kept by the body without saying so",
        "'{0}' keeps the pin of '{1}' (stored into an owning member or handed to an owner) on every path; mark the parameter [TakesPinOwnership] so callers are checked against that contract",
        Annotations,
        DiagnosticSeverity.Info,
        "The body stores the parameter into a [Pinned] member, hands it to a [TakesPinOwnership] parameter or returns it as pinned on some path and releases it on the others, so no caller keeps an obligation. Virtual, abstract, override and interface-implementing methods are not inferred.");

    public static readonly DiagnosticDescriptor InferredRequiresPin = Create(
        DiagnosticIds.InferredRequiresPin,
        "Parameter needs a held pin without saying so",
        "Everything '{0}' does with '{1}' needs a held pin; mark the parameter [RequiresPin] so callers are checked against that contract",
        Annotations,
        DiagnosticSeverity.Info,
        "The body passes the parameter to [RequiresPin] or [OutOfBandSink] operations and never releases, keeps, pins, stores or installs it itself, so it works only on a page its caller holds. Virtual, abstract, override and interface-implementing methods are not inferred.");

    public static readonly DiagnosticDescriptor InferredNotifierCovered = Create(
        DiagnosticIds.InferredNotifierCovered,
        "Field holds borrowed PFNs under a notifier hook without saying so",
        "Field '{0}' only ever receives borrowed PFNs and is invalidated by the notifier hook '{1}'; mark it [NotifierCovered]",
        Annotations,
        DiagnosticSeverity.Info,
        "Every store into the field is a borrowed PFN, and a method of the same type that implements an MMU-notifier invalidation writes the field, so the field is a PFN cache. Without [NotifierCovered] each store is reported as MMU0009.");

    private static DiagnosticDescriptor Create(
        string id, string title, string messageFormat, string category, DiagnosticSeverity severity, string description) =>
        new(
            id,
            title,
            messageFormat,
            category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinkBase + id + ".md");
}
