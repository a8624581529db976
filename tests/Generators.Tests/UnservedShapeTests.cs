using System.Linq;
using MmuGuard.Generators.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Generators.Tests;

/// <summary>
/// Shapes the generator cannot serve (each one an MMU0011–MMU0015 finding of the analyzer) produce no output, no
/// exception and no diagnostic from the generator, and do not stop other owners from being generated.
/// </summary>
public sealed class UnservedShapeTests
{
    public static TheoryData<string, string> Shapes => new()
    {
        { "owner not partial", "public class Owner { [OutOfBandMapping] private Pfn _page; }" },
        { "generic owner", "public partial class Owner<T> { [OutOfBandMapping] private Pfn _page; }" },
        { "record owner", "public partial record Owner { [OutOfBandMapping] private Pfn _page; }" },
        { "record struct owner", "public partial record struct Owner { [OutOfBandMapping] private Pfn _page; }" },
        { "ref struct owner", "public ref partial struct Owner { [OutOfBandMapping] private Pfn _page; }" },
        { "nested in a non-partial type", "public class Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }" },
        { "nested in a generic type", "public partial class Outer<T> { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }" },
        { "file-local owner", "file partial class Owner { [OutOfBandMapping] private Pfn _page; }" },
        { "nested in a file-local type", "file partial class Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }" },
        { "static field", "public partial class Owner { [OutOfBandMapping] private static Pfn _page; }" },
        { "readonly field", "public partial class Owner { [OutOfBandMapping] private readonly Pfn _page; }" },
        { "field not a Pfn", "public partial class Owner { [OutOfBandMapping] private ulong _page; }" },
        { "both mapping attributes", "public partial class Owner { [OutOfBandMapping, NotifierCoveredMapping] private Pfn _page; }" },
        { "out-of-band mapping that claims notifier coverage", "public partial class Owner { [OutOfBandMapping, NotifierCovered] private Pfn _page; }" },
        { "notifier-covered mapping that claims a pin", "public partial class Owner { [NotifierCoveredMapping, Pinned] private Pfn _page; }" },
        { "mapping attribute on an auto-property's backing field", "public partial class Owner { [field: OutOfBandMapping] public Pfn Page { get; set; } }" },
        { "backing field beside a declared field", "public partial class Owner { [OutOfBandMapping] private Pfn _page; [field: NotifierCoveredMapping] public Pfn Steal { get; set; } }" },
        { "field name with no stem", "public partial class Owner { [OutOfBandMapping] private Pfn __; }" },
        { "two fields with one stem", "public partial class Owner { [OutOfBandMapping] private Pfn _page; [OutOfBandMapping] private Pfn page_; }" },
        { "user member named like a generated one", "public partial class Owner { [OutOfBandMapping] private Pfn _page; public void MapPage() { } }" },
        { "user nested type named like a generated member", "public partial class Owner { [OutOfBandMapping] private Pfn _page; public class Teardown { } }" },
        { "user UnmapAll", "public partial class Owner { [OutOfBandMapping] private Pfn _page; public int UnmapAll() => 0; }" },
        { "user Dispose with the opt-in", "[MappingBookkeeping(Disposable = true)] public partial class Owner { [OutOfBandMapping] private Pfn _page; public void Dispose() { } }" },
        { "struct with a notifier-covered member", "public partial struct Owner { [NotifierCoveredMapping] private Pfn _cache; }" },
        { "field of a type that does not exist (code being typed)", "public partial class Owner { [OutOfBandMapping] private Pfnn _page; }" },
        { "field declaration cut short (code being typed)", "public partial class Owner { [OutOfBandMapping] private Pfn }" },
        { "struct with explicit layout", "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] public partial struct Owner { [OutOfBandMapping, System.Runtime.InteropServices.FieldOffset(0)] private Pfn _page; }" },
        { "struct with sequential layout", "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)] public partial struct Owner { [OutOfBandMapping] private Pfn _page; }" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Unservable_shape_generates_nothing_and_reports_nothing(string shape, string declaration)
    {
        var run = GeneratorHarness.Run(WithUsings(declaration));

        Assert.True(run.GeneratorException is null, $"{shape}: {run.GeneratorException}");
        Assert.Empty(run.GeneratedSources);
        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Fact]
    public void Unservable_owner_does_not_stop_another_owner_from_being_generated()
    {
        var run = GeneratorHarness.Run(WithUsings(
            "public class Broken { [OutOfBandMapping] private Pfn _page; } public partial class Served { [OutOfBandMapping] private Pfn _page; }"));

        Assert.Equal("Sim.Served.Mappings.g.cs", Assert.Single(run.GeneratedSources).HintName);
    }

    [Fact]
    public void Pinned_and_covered_mappings_that_share_a_stem_are_served()
    {
        // Their generated names differ (MapApic/UnmapApic… against RefreshApic/InvalidateApic…), so MMU0015 is silent.
        var run = GeneratorHarness.Run(WithUsings(
            "public partial class Owner { [OutOfBandMapping] private Pfn _apic; [NotifierCoveredMapping] private Pfn apic_; }"));

        Assert.Single(run.GeneratedSources);
        Assert.Empty(run.CompilationProblems);
    }

    [Fact]
    public void Type_with_only_the_bookkeeping_attribute_generates_nothing()
    {
        var run = GeneratorHarness.Run(WithUsings("[MappingBookkeeping(Disposable = true)] public partial class Owner { private Pfn _page; }"));

        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void Struct_that_declares_auto_layout_is_served_without_a_second_layout_attribute()
    {
        var run = GeneratorHarness.Run(WithUsings(
            "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)] public partial struct Owner { [OutOfBandMapping] private Pfn _page; }"));

        Assert.DoesNotContain("StructLayout", Assert.Single(run.GeneratedSources).SourceText.ToString());
        Assert.Empty(run.CompilationProblems);
    }

    internal static string WithUsings(string declaration) =>
        "using MmuGuard;\nusing MmuGuard.Physical;\n\nnamespace Sim;\n\n" + declaration + "\n";
}
