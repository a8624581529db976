using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace MmuGuard.Generators.Tests.Inputs;

/// <summary>
/// Owner shapes a robustness hunt found or a user can plausibly write, beyond the representative inputs and the
/// refused shapes of <see cref="UnservedShapeTests"/>: names that are keywords, Unicode or clash with generated names,
/// unusual containers and modifiers, inheritance, a user's own <c>Pfn</c>, old language versions. Each must either
/// compile cleanly with its generated code or be refused with an MMU finding and no generated code.
/// </summary>
internal static class OwnerShapeCorpus
{
    private const string Usings = "using MmuGuard;\nusing MmuGuard.Physical;\n\n";

    /// <summary>
    /// Shape name, complete source, the C# version it is compiled as, and whether every owner in it is served (or
    /// at least one is refused).
    /// </summary>
    public static TheoryData<string, string, LanguageVersion, bool> Shapes => new()
    {
        // Containers and modifiers.
        { "nested in a ref partial struct", InSim("public ref partial struct Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }"), LanguageVersion.Latest, true },
        { "nested in a readonly partial struct", InSim("public readonly partial struct Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }"), LanguageVersion.Latest, true },
        { "nested in a static partial class", InSim("public static partial class Outer { public partial class Owner { [NotifierCoveredMapping] private Pfn _steal; } }"), LanguageVersion.Latest, true },
        { "nested in a readonly record struct", InSim("public readonly partial record struct Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }"), LanguageVersion.Latest, true },
        { "nested in a partial interface", InSim("public partial interface IOuter { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }"), LanguageVersion.Latest, true },
        { "sealed internal owner split over modifiers", InSim("internal sealed partial class Owner { [OutOfBandMapping] private Pfn _page; } partial class Owner { [NotifierCoveredMapping] private Pfn _steal; }"), LanguageVersion.Latest, true },
        { "owner with a primary constructor", InSim("public partial class Owner(int id) { [OutOfBandMapping] private Pfn _page; public int Id => id; }"), LanguageVersion.Latest, true },
        { "disposable struct owner", InSim("[MappingBookkeeping(Disposable = true)] public partial struct Owner { [OutOfBandMapping] private Pfn _page; }"), LanguageVersion.Latest, true },
        { "static class owner", InSim("public static partial class Owner { [OutOfBandMapping] private static Pfn _page; }"), LanguageVersion.Latest, false },
        { "readonly struct owner", InSim("public readonly partial struct Owner { [OutOfBandMapping] private readonly Pfn _page; }"), LanguageVersion.Latest, false },

        // Names.
        { "Unicode names", InSim("public partial class Вкладка { [OutOfBandMapping] private Pfn _страница; [NotifierCoveredMapping] private Pfn _часы; }"), LanguageVersion.Latest, true },
        { "field named like a generated local or parameter", InSim("public partial class Owner { [OutOfBandMapping] private Pfn ledger; [NotifierCoveredMapping] private Pfn source; private int gfn; private int slot; }"), LanguageVersion.Latest, true },
        { "nested types named like the namespaces generated code uses", InSim("public partial class Owner { [OutOfBandMapping] private global::MmuGuard.Physical.Pfn _page; public class MmuGuard { } public class System { } public struct Pfn { } }"), LanguageVersion.Latest, true },
        { "user InvalidateCoveredMapping method", InSim("public partial class Owner { [NotifierCoveredMapping] private Pfn _steal; public void InvalidateCoveredMapping(int slot) { } }"), LanguageVersion.Latest, true },
        { "stem starting with a digit", InSim("public partial class Owner { [OutOfBandMapping] private Pfn _0page; }"), LanguageVersion.Latest, false },
        { "stem starting with a combining mark", InSim("public partial class Owner { [OutOfBandMapping] private Pfn _\u0301page; }"), LanguageVersion.Latest, false },
        { "covered stem starting with a digit", InSim("public partial class Owner { [NotifierCoveredMapping] private Pfn _0steal; }"), LanguageVersion.Latest, true },
        { "owner named like a generated per-field member", InSim("public partial class ApicPfn { [OutOfBandMapping] private Pfn _apic; }"), LanguageVersion.Latest, false },
        { "owner named Teardown", InSim("public partial class Teardown { [OutOfBandMapping] private Pfn _page; }"), LanguageVersion.Latest, false },
        { "owner named UnmapAll", InSim("public partial class UnmapAll { [OutOfBandMapping] private Pfn _page; }"), LanguageVersion.Latest, false },
        { "owner named PinLedger", InSim("public partial class PinLedger { [OutOfBandMapping] private Pfn _page; }"), LanguageVersion.Latest, false },
        { "disposable owner named Dispose", InSim("[MappingBookkeeping(Disposable = true)] public partial class Dispose { [OutOfBandMapping] private Pfn _page; }"), LanguageVersion.Latest, false },
        { "user field named like the private pinned state", InSim("public partial class Owner { [OutOfBandMapping] private Pfn _page; private int __pinnedMappings; }"), LanguageVersion.Latest, false },
        { "user property named like the private pinned accessor", InSim("public partial class Owner { [OutOfBandMapping] private Pfn _page; private object? __PinnedMappings => null; }"), LanguageVersion.Latest, false },
        { "user method named like a private covered accessor", InSim("public partial class Owner { [NotifierCoveredMapping] private Pfn _steal; private void __CoveredMappings() { } }"), LanguageVersion.Latest, false },
        { "explicit covered owner implementation", InSim("public partial class Owner : MmuGuard.Mapping.INotifierCoveredMappingOwner { [NotifierCoveredMapping] private Pfn _steal; void MmuGuard.Mapping.INotifierCoveredMappingOwner.InvalidateCoveredMapping(int slot) { } }"), LanguageVersion.Latest, false },

        // Inheritance.
        { "owner deriving from an owner", InSim("public partial class Base { [OutOfBandMapping] private Pfn _page; } public partial class Derived : Base { [OutOfBandMapping] private Pfn _other; }"), LanguageVersion.Latest, false },
        { "owner deriving from a type with a public Teardown", InSim("public class Base { public void Teardown() { } } public partial class Owner : Base { [OutOfBandMapping] private Pfn _page; }"), LanguageVersion.Latest, false },
        { "disposable owner deriving from a disposable type", InSim("public class Base : System.IDisposable { public virtual void Dispose() { } } [MappingBookkeeping(Disposable = true)] public partial class Owner : Base { [OutOfBandMapping] private Pfn _page; }"), LanguageVersion.Latest, false },
        { "owner deriving from a type with a private Teardown", InSim("public class Base { private void Teardown() { } } public partial class Owner : Base { [OutOfBandMapping] private Pfn _page; }"), LanguageVersion.Latest, true },

        // Types.
        { "source-declared Pfn beside the runtime's", Usings + "namespace MmuGuard.Physical { public readonly struct Pfn { } }\nnamespace Sim { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }", LanguageVersion.Latest, false },

        // Language versions and layouts of the file.
        { "C# 8 with a block namespace", Usings + "namespace Sim { public partial class Owner { [OutOfBandMapping] private Pfn _page; [NotifierCoveredMapping] private Pfn _steal; } }", LanguageVersion.CSharp8, true },
        { "C# 9 struct owner", Usings + "namespace Sim { public partial struct Owner { [OutOfBandMapping] private Pfn _page; } }", LanguageVersion.CSharp9, true },
        { "C# 7.3", Usings + "namespace Sim { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }", LanguageVersion.CSharp7_3, false },
        { "global namespace with nullable disabled", Usings + "#nullable disable\npublic partial class Owner { [OutOfBandMapping] private Pfn _page; }", LanguageVersion.Latest, true },
        { "owners whose names differ only in letter case", InSim("public partial class Vmcs { [OutOfBandMapping] private Pfn _apic; } public partial class VMCS { [OutOfBandMapping] private Pfn _apic; }"), LanguageVersion.Latest, true },
    };

    private static string InSim(string declarations) => Usings + "namespace Sim;\n\n" + declarations + "\n";
}
