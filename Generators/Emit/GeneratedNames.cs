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
    public const string Disposable = "global::System.IDisposable";
    public const string CallerMemberName = "global::System.Runtime.CompilerServices.CallerMemberName";
    public const string CallerFilePath = "global::System.Runtime.CompilerServices.CallerFilePath";
    public const string CallerLineNumber = "global::System.Runtime.CompilerServices.CallerLineNumber";
    public const string StructLayoutAuto = "global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Auto)";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";

    public const string PinnedMappingSet = "global::MmuGuard.Mapping.PinnedMappingSet";
    public const string CoveredMappingSet = "global::MmuGuard.Mapping.CoveredMappingSet";

    /// <summary>The private state fields and accessors, named in <see cref="MappingNames"/> so MMU0015 checks them too.</summary>
    public const string PinnedField = MappingNames.PinnedField;
    public const string PinnedState = MappingNames.PinnedState;
    public const string CoveredField = MappingNames.CoveredField;
    public const string CoveredState = MappingNames.CoveredState;
}
