using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Tests.Infrastructure;
using MmuGuard.Analyzers.Tests.Meta;
using MmuGuard.Generators;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Clean;

/// <summary>
/// Every MmuGuard analyzer, run over whole projects of valid annotated code, stays silent: the Runtime itself (whose
/// public API carries the attributes) and the clean NestedVirt sample with its generated bookkeeping.
/// </summary>
public sealed class CleanCodeTests
{
    private const string CveShape = """
        using MmuGuard.Host;
        using MmuGuard.Physical;

        internal static class LegacyRemappedFault
        {
            // hva_to_pfn_remapped before the CVE-2021-22543 fix: follow_pte, then get_page on whatever came back.
            public static Pfn Resolve(AddressSpace mm, PhysicalMemory memory, HostVirtualAddress hva)
            {
                var pfn = mm.FollowPte(hva);
                memory.Pin(pfn);
                return pfn;
            }
        }
        """;

    [Fact]
    public async Task The_runtime_gets_no_diagnostic()
    {
        var diagnostics = await AnalyzeAsync(SourcesUnder("Runtime"));

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task The_clean_sample_gets_no_diagnostic()
    {
        var sources = SourcesUnder("Runtime")
            .Concat(SourcesUnder("Samples", "World"))
            .Concat(SourcesUnder("Samples", "NestedVirt"));

        var diagnostics = await AnalyzeAsync(sources);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task A_CVE_shaped_call_into_the_runtime_is_reported()
    {
        // Control: the harness is able to fail, and it is the Runtime's own annotations ([Borrowed, MayBeNonRefcounted]
        // on FollowPte, [AcquiresPin] on Pin) that drive the rules.
        var sources = SourcesUnder("Runtime").Append(("LegacyRemappedFault.cs", CveShape));

        var diagnostics = await AnalyzeAsync(sources);

        Assert.Contains(diagnostics, d => d.Id == DiagnosticIds.UnconditionalPinOfMaybeNonRefcounted);
    }

    private static async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(IEnumerable<(string Path, string Text)> sources)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "CleanCode",
            sources.Select(source => CSharpSyntaxTree.ParseText(source.Text, parseOptions, source.Path)),
            FrameworkReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new MappingBookkeepingGenerator().AsSourceGenerator() }, parseOptions: parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);

        // The analysis means nothing over code that does not compile.
        var errors = generated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => e.ToString())));

        var exceptions = new List<string>();
        var withAnalyzers = generated.WithAnalyzers(
            ShippedRules.Analyzers.ToImmutableArray(),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, analyzer, _) => exceptions.Add(analyzer.GetType().Name + ": " + exception),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();

        Assert.Empty(exceptions);
        return diagnostics.Where(d => d.Id.StartsWith("MMU", StringComparison.Ordinal) || d.Id == "AD0001").ToArray();
    }

    private static IEnumerable<(string Path, string Text)> SourcesUnder(params string[] folder) => RepositorySources.Under(folder);
}
