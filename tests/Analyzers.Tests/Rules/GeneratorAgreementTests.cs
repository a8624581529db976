using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MmuGuard.Analyzers.Tests.Infrastructure;
using MmuGuard.Generators;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Rules;

/// <summary>
/// The bookkeeping generator and MMU0011–MMU0015 agree on every owner shape: the generator writes code for an owner
/// exactly when the analyzer finds nothing wrong with it, so a user never gets neither code nor a diagnostic. Both ask
/// the one shared classifier (<c>MappingOwnerShape</c>), so this table is its regression test: each row pins down
/// whether a shape is served.
/// </summary>
public sealed class GeneratorAgreementTests
{
    private const string Layout = "System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind";

    /// <summary>Each owner shape, and whether the generator is meant to serve it.</summary>
    public static TheoryData<string, string, bool> Shapes => new()
    {
        // Served.
        { "class", "public partial class Owner { [OutOfBandMapping] private Pfn _page; }", true },
        { "class over two declarations", "public partial class Owner { [OutOfBandMapping] private Pfn _page; } public partial class Owner { }", true },
        { "abstract class with both kinds", "public abstract partial class Owner { [OutOfBandMapping] private Pfn _page; [NotifierCoveredMapping] private Pfn _steal; }", true },
        { "struct with an out-of-band mapping", "public partial struct Owner { [OutOfBandMapping] private Pfn _page; }", true },
        { "struct declaring auto layout", $"[{Layout}.Auto)] public partial struct Owner {{ [OutOfBandMapping] private Pfn _page; }}", true },
        { "nested in a partial class", "public partial class Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }", true },
        { "nested in a partial record", "public partial record Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }", true },
        { "nested in a partial interface", "public partial interface IOuter { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }", true },
        { "keyword-named owner", "public partial class @event { [OutOfBandMapping] private Pfn _page; }", true },
        { "disposable opt-in", "[MappingBookkeeping(Disposable = true)] public partial class Owner { [OutOfBandMapping] private Pfn _page; }", true },
        { "user Dispose without the opt-in", "public partial class Owner { [OutOfBandMapping] private Pfn _page; public void Dispose() { } }", true },
        { "pinned and covered mappings sharing a stem", "public partial class Owner { [OutOfBandMapping] private Pfn _apic; [NotifierCoveredMapping] private Pfn apic_; }", true },
        { "out-of-band mapping also marked [Pinned]", "public partial class Owner { [OutOfBandMapping, Pinned] private Pfn _page; }", true },
        { "covered mapping also marked [NotifierCovered]", "public partial class Owner { [NotifierCoveredMapping, NotifierCovered] private Pfn _steal; }", true },

        // Refused: MMU0011.
        { "owner not partial", "public class Owner { [OutOfBandMapping] private Pfn _page; }", false },
        { "one declaration not partial", "public partial class Owner { [OutOfBandMapping] private Pfn _page; } public class Owner { }", false },

        // Refused: MMU0012.
        { "static field", "public partial class Owner { [OutOfBandMapping] private static Pfn _page; }", false },
        { "readonly field", "public partial class Owner { [OutOfBandMapping] private readonly Pfn _page; }", false },
        { "const field", "public partial class Owner { [OutOfBandMapping] private const ulong _page = 0; }", false },
        { "field not a Pfn", "public partial class Owner { [OutOfBandMapping] private ulong _page; }", false },
        { "field of a nullable Pfn", "public partial class Owner { [OutOfBandMapping] private Pfn? _page; }", false },
        { "field name with no stem", "public partial class Owner { [OutOfBandMapping] private Pfn __; }", false },
        { "a good field beside a bad one", "public partial class Owner { [OutOfBandMapping] private Pfn _page; [NotifierCoveredMapping] private ulong _steal; }", false },
        { "auto-property backing field", "public partial class Owner { [field: OutOfBandMapping] public Pfn Page { get; set; } }", false },
        { "backing field beside a declared field", "public partial class Owner { [OutOfBandMapping] private Pfn _page; [field: NotifierCoveredMapping] public Pfn Steal { get; set; } }", false },

        // Refused: MMU0013.
        { "both mapping attributes", "public partial class Owner { [OutOfBandMapping, NotifierCoveredMapping] private Pfn _page; }", false },
        { "out-of-band mapping marked [NotifierCovered]", "public partial class Owner { [OutOfBandMapping, NotifierCovered] private Pfn _page; }", false },
        { "covered mapping marked [Pinned]", "public partial class Owner { [NotifierCoveredMapping, Pinned] private Pfn _page; }", false },

        // Refused: MMU0014.
        { "generic owner", "public partial class Owner<T> { [OutOfBandMapping] private Pfn _page; }", false },
        { "record owner", "public partial record Owner { [OutOfBandMapping] private Pfn _page; }", false },
        { "record struct owner", "public partial record struct Owner { [OutOfBandMapping] private Pfn _page; }", false },
        { "record parameter backing field", "public partial record Owner([field: OutOfBandMapping] Pfn Page);", false },
        { "ref struct owner", "public ref partial struct Owner { [OutOfBandMapping] private Pfn _page; }", false },
        { "file-local owner", "file partial class Owner { [OutOfBandMapping] private Pfn _page; }", false },
        { "struct with a notifier-covered mapping", "public partial struct Owner { [NotifierCoveredMapping] private Pfn _steal; }", false },
        { "struct declaring sequential layout", $"[{Layout}.Sequential)] public partial struct Owner {{ [OutOfBandMapping] private Pfn _page; }}", false },
        { "struct declaring explicit layout", $"[{Layout}.Explicit)] public partial struct Owner {{ [OutOfBandMapping, System.Runtime.InteropServices.FieldOffset(0)] private Pfn _page; }}", false },
        { "nested in a non-partial type", "public class Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }", false },
        { "nested in a generic type", "public partial class Outer<T> { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }", false },
        { "nested in a file-local type", "file partial class Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }", false },
        { "interface with a static mapping field", "public partial interface IOwner { [OutOfBandMapping] static Pfn _page; }", false },

        // Refused: MMU0015.
        { "two pinned fields with one stem", "public partial class Owner { [OutOfBandMapping] private Pfn _page; [OutOfBandMapping] private Pfn page_; }", false },
        { "user member named like a generated pinned one", "public partial class Owner { [OutOfBandMapping] private Pfn _page; public void MapPage() { } }", false },
        { "user member named like a generated covered one", "public partial class Owner { [NotifierCoveredMapping] private Pfn _steal; public bool IsStealValid => true; }", false },
        { "user UnmapAll", "public partial class Owner { [OutOfBandMapping] private Pfn _page; public int UnmapAll() => 0; }", false },
        { "user nested type named Teardown", "public partial class Owner { [OutOfBandMapping] private Pfn _page; public class Teardown { } }", false },
        { "user Dispose with the opt-in", "[MappingBookkeeping(Disposable = true)] public partial class Owner { [OutOfBandMapping] private Pfn _page; public void Dispose() { } }", false },
        { "owner named like a generated member", "public partial class ApicPfn { [OutOfBandMapping] private Pfn _apic; }", false },
        { "user field named like a private generated one", "public partial class Owner { [OutOfBandMapping] private Pfn _page; private int __coveredMappings; [NotifierCoveredMapping] private Pfn _steal; }", false },
        { "inherited member named like a generated one", "public class Base { protected int UnmapAll() => 0; } public partial class Owner : Base { [OutOfBandMapping] private Pfn _page; }", false },
        { "inherited private member named like a generated one", "public class Base { private int UnmapAll() => 0; } public partial class Owner : Base { [OutOfBandMapping] private Pfn _page; }", true },

        // Refused: MMU0012 and MMU0014, found by the robustness hunt.
        { "stem starting with a digit", "public partial class Owner { [OutOfBandMapping] private Pfn _0page; }", false },
        { "static class owner", "public static partial class Owner { [OutOfBandMapping] private static Pfn _page; }", false },
        { "readonly struct owner", "public readonly partial struct Owner { [OutOfBandMapping] private readonly Pfn _page; }", false },

        // Served: containers the generated part must reopen with the right header.
        { "nested in a ref partial struct", "public ref partial struct Outer { public partial class Owner { [OutOfBandMapping] private Pfn _page; } }", true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Generator_serves_a_shape_exactly_when_the_analyzer_is_silent(string shape, string declaration, bool served)
    {
        var compilation = Compile("using MmuGuard;\nusing MmuGuard.Physical;\n\nnamespace Sim;\n\n" + declaration + "\n");

        var generated = GeneratedSourceCount(compilation);
        var findings = await MappingFindings.OfAsync(compilation);

        var findingText = string.Join("; ", findings.Select(d => d.Id + ": " + d.GetMessage()));
        Assert.True(
            (generated > 0) == (findings.Length == 0),
            $"{shape}: generator wrote {generated} source(s), analyzer reported [{findingText}]");
        Assert.True(served == (generated > 0), $"{shape}: expected served = {served}; analyzer reported [{findingText}]");
    }

    private static CSharpCompilation Compile(string source)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var sources = AttributeSources.All.Select(attribute => attribute.Text).Append(MappingDeclarationAnalyzerTests.PfnSource).Append(source);
        return CSharpCompilation.Create(
            "Sim",
            sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, parseOptions, path: $"Input{i}.cs")),
            FrameworkReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static int GeneratedSourceCount(CSharpCompilation compilation)
    {
        var parseOptions = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
        var result = CSharpGeneratorDriver
            .Create(new[] { new MappingBookkeepingGenerator().AsSourceGenerator() }, parseOptions: parseOptions)
            .RunGenerators(compilation)
            .GetRunResult();
        Assert.All(result.Results, run => Assert.Null(run.Exception));
        return result.GeneratedTrees.Length;
    }
}
