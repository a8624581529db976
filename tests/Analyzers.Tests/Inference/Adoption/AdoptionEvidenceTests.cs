using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MmuGuard.Analyzers.Tests.Infrastructure;
using MmuGuard.Analyzers.Tests.Meta;
using MmuGuard.Generators;
using Xunit;
using Xunit.Abstractions;

using MmuGuard.Tests.Shared;

namespace MmuGuard.Analyzers.Tests.Inference.Adoption;

/// <summary>
/// Issue 15 item 3: strip the hand-written contracts the inference can write from the Runtime and the NestedVirt
/// sample, run the inference fixes to a fixpoint, and compare with the original, place by place. The result is the
/// record in docs/adoption.md; the test fails when the two disagree (a ratchet, like docs/precision.md).
/// </summary>
public sealed class AdoptionEvidenceTests
{
    private readonly ITestOutputHelper _output;

    public AdoptionEvidenceTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public Task Stripping_the_runtime_and_the_sample_gives_the_recovery_recorded_in_docs_adoption() =>
        AssertRecordedAsync("runtime-and-sample", RuntimeAndSample(), path => IsHandWritten(path));

    [Fact]
    public Task Stripping_all_but_the_page_primitives_gives_the_recovery_recorded_in_docs_adoption() =>
        AssertRecordedAsync("above-the-primitives", RuntimeAndSample(), path => IsHandWritten(path) && !IsPrimitive(path));

    [Fact]
    public Task Stripping_a_sim_over_a_contracts_file_library_gives_the_recovery_recorded_in_docs_adoption() =>
        AssertRecordedAsync(
            "contracts-file-library",
            AttributeSources.All.Select(file => (file.Name, file.Text)).Append(("VendorMm.cs", Contracts.VendorMm.Source)).Append(("VendorSim.cs", VendorSim.Source)).ToArray(),
            path => path == "VendorSim.cs",
            new[] { ("MmuGuard.Contracts.txt", Contracts.VendorMm.Contracts) });

    private async Task AssertRecordedAsync(
        string section, IReadOnlyList<(string Path, string Text)> sources, Func<string, bool> isMeasured, (string Path, string Text)[]? additionalFiles = null)
    {
        var census = await MeasureAsync(sources, isMeasured, additionalFiles);
        var report = AdoptionRecord.Render(census);
        _output.WriteLine(report);

        var recorded = AdoptionRecord.Read(section);
        Assert.True(recorded == report, "docs/adoption.md records a different result for " + section + "; the measurement now gives:\n" + report);
    }

    private static bool IsHandWritten(string path) => !path.EndsWith(".g.cs", StringComparison.Ordinal) && !IsAttributeDefinition(path);

    /// <summary>The page model itself (frames, refcounts, page tables): the seeds a team would write by hand or in a contracts file.</summary>
    private static bool IsPrimitive(string path) =>
        path.StartsWith("Runtime/Physical/", StringComparison.Ordinal) || path.StartsWith("Runtime/Host/", StringComparison.Ordinal);

    private static async Task<AdoptionCensus> MeasureAsync(
        IReadOnlyList<(string Path, string Text)> sources, Func<string, bool> isMeasured, (string Path, string Text)[]? additionalFiles)
    {
        var original = InferenceFixpoint.Create(sources, additionalFiles);
        var handWritten = await AdoptionCensus.AnnotationsAsync(original.Project, isMeasured);
        var before = await original.AnalyzeAsync();

        var stripped = InferenceFixpoint.Create(sources.Select(source => isMeasured(source.Path)
            ? (source.Path, OwnershipAttributes.Strip(CSharpSyntaxTree.ParseText(source.Text).GetRoot(), OwnershipAttributes.Inferable).ToFullString())
            : source), additionalFiles);
        await stripped.RunAsync();
        var inferred = await AdoptionCensus.AnnotationsAsync(stripped.Project, isMeasured);
        var after = await stripped.AnalyzeAsync();

        var beforeKeys = before.Select(Key).ToHashSet(StringComparer.Ordinal);
        var kept = sources.Where(source => isMeasured(source.Path)).Sum(source => OwnershipAttributes.CountKept(CSharpSyntaxTree.ParseText(source.Text).GetRoot()));
        return AdoptionCensus.Compare(handWritten, inferred, kept, stripped.Passes, after.Select(Key).Where(key => !beforeKeys.Contains(key)));
    }

    /// <summary>A diagnostic by rule, file and member text, so annotation lines added above it do not make it "new".</summary>
    private static string Key(Diagnostic diagnostic)
    {
        var tree = diagnostic.Location.SourceTree;
        var text = tree is null ? string.Empty : tree.GetText().ToString(diagnostic.Location.SourceSpan);
        return $"{diagnostic.Id} {Path.GetFileName(tree?.FilePath ?? string.Empty)} `{text}`";
    }

    private static bool IsAttributeDefinition(string path) =>
        path.Replace('\\', '/').Contains("Runtime/Attributes/", StringComparison.Ordinal);

    /// <summary>The Runtime, the samples' shared world and NestedVirt, with the generator's output as plain documents.</summary>
    private static IReadOnlyList<(string Path, string Text)> RuntimeAndSample()
    {
        var sources = SourcesUnder("Runtime").Concat(SourcesUnder("Samples", "World")).Concat(SourcesUnder("Samples", "NestedVirt")).ToList();
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Generate",
            sources.Select(source => CSharpSyntaxTree.ParseText(source.Text, parseOptions, source.Path)),
            FrameworkReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create(new[] { new MappingBookkeepingGenerator().AsSourceGenerator() }, parseOptions: parseOptions)
            .RunGenerators(compilation);
        foreach (var result in driver.GetRunResult().Results)
        {
            sources.AddRange(result.GeneratedSources.Select(generated => ("Generated/" + generated.HintName.Replace(".cs", ".g.cs", StringComparison.Ordinal), generated.SourceText.ToString())));
        }

        return sources;
    }

    private static IEnumerable<(string Path, string Text)> SourcesUnder(params string[] folder) =>
        RepositorySources.Under(folder).Select(source => (Path.GetRelativePath(RepositoryRoot.Path, source.Path).Replace('\\', '/'), source.Text));
}
