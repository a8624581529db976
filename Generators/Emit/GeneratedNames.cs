namespace MmuGuard.Generators.Emit;

/// <summary>
/// Fully qualified names the generated code uses, so every type reference is written once and the output never
/// depends on the user's usings.
/// </summary>
internal static class GeneratedNames
{
    public const string Pfn = "global::MmuGuard.Physical.Pfn";
    public const string Gfn = "global::MmuGuard.Guest.Gfn";
    public const string MapResult = "global::MmuGuard.Mapping.MapResult";
    public const string PinLedger = "global::MmuGuard.Mapping.PinLedger";
    public const string PinnedPageSource = "global::MmuGuard.Mapping.IPinnedPageSource";
    public const string CoveredPageSource = "global::MmuGuard.Mapping.ICoveredPageSource";
    public const string CoveredMappingOwner = "global::MmuGuard.Mapping.INotifierCoveredMappingOwner";
    public const string Sanitizer = "global::MmuGuard.Sanitizer.MmuSanitizer";
    public const string FindingKind = "global::MmuGuard.Sanitizer.FindingKind";
    public const string Disposable = "global::System.IDisposable";
    public const string ArgumentNullException = "global::System.ArgumentNullException";
    public const string ArgumentOutOfRangeException = "global::System.ArgumentOutOfRangeException";
    public const string InvalidOperationException = "global::System.InvalidOperationException";
    public const string SameReference = "global::System.Object.ReferenceEquals";
    public const string CallerMemberName = "global::System.Runtime.CompilerServices.CallerMemberName";
    public const string CallerFilePath = "global::System.Runtime.CompilerServices.CallerFilePath";
    public const string CallerLineNumber = "global::System.Runtime.CompilerServices.CallerLineNumber";
    public const string StructLayoutAuto = "global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Auto)";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";

    /// <summary>The private state fields and helpers; the double underscore keeps them clear of user names.</summary>
    public const string LedgerField = "__pinLedger";
    public const string PinSourcesField = "__pinSources";
    public const string CoveredSourcesField = "__coveredSources";
    public const string CoveredValidField = "__coveredValid";
    public const string CreatePinLedger = "__CreatePinLedger";
    public const string Pin = "__Pin";
    public const string Unpin = "__Unpin";
    public const string PinnedPfn = "__PinnedPfn";
    public const string LeakSanitizer = "__LeakSanitizer";
    public const string Refresh = "__Refresh";
    public const string Invalidate = "__Invalidate";
    public const string Deactivate = "__Deactivate";
}
