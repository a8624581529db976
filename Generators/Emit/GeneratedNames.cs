using MmuGuard.Shared;

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

    /// <summary>The private state fields and helpers, named in <see cref="MappingNames"/> so MMU0015 checks them too.</summary>
    public const string LedgerField = MappingNames.LedgerField;
    public const string PinSourcesField = MappingNames.PinSourcesField;
    public const string CoveredSourcesField = MappingNames.CoveredSourcesField;
    public const string CoveredValidField = MappingNames.CoveredValidField;
    public const string CreatePinLedger = MappingNames.CreatePinLedger;
    public const string Pin = MappingNames.Pin;
    public const string Unpin = MappingNames.Unpin;
    public const string PinnedPfn = MappingNames.PinnedPfn;
    public const string LeakSanitizer = MappingNames.LeakSanitizer;
    public const string Refresh = MappingNames.RefreshHelper;
    public const string Invalidate = MappingNames.InvalidateHelper;
    public const string Deactivate = MappingNames.Deactivate;
}
