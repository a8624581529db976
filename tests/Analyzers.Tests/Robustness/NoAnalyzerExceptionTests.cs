using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Tests.Infrastructure;
using MmuGuard.Analyzers.Tests.Meta;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Robustness;

/// <summary>
/// No MmuGuard analyzer ever throws (AD0001), however broken the code being typed: every test snippet is cut off at
/// several points and has seeded random tokens deleted, and all analyzers run over each variant.
/// </summary>
public sealed class NoAnalyzerExceptionTests
{
    private const int Seed = 2021_22543;

    /// <summary>Cut points per snippet; <c>MMUGUARD_ROBUSTNESS_TRUNCATIONS</c> raises it for a longer local hunt.</summary>
    private static readonly int Truncations = FromEnvironment("MMUGUARD_ROBUSTNESS_TRUNCATIONS", 5);

    /// <summary>Token-deletion variants per snippet; <c>MMUGUARD_ROBUSTNESS_DELETIONS</c> raises it.</summary>
    private static readonly int Deletions = FromEnvironment("MMUGUARD_ROBUSTNESS_DELETIONS", 3);

    /// <summary>The framework assemblies the robustness compilations reference (also <see cref="SmallStackAnalysis"/>'s).</summary>
    internal static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll"
                or "System.Console.dll" or "System.Collections.dll" or "System.Linq.dll" or "System.Threading.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    /// <summary>The well-formed sources every variant is compiled with: the attributes and the runtime's PFN type.</summary>
    private static readonly Lazy<ImmutableArray<SyntaxTree>> Contract = new(() =>
        AttributeSources.All.Select(source => CSharpSyntaxTree.ParseText(source.Text, path: source.Name))
            .Append(CSharpSyntaxTree.ParseText("namespace MmuGuard.Physical { public readonly record struct Pfn(ulong Value); }", path: "Pfn.cs"))
            .ToImmutableArray());

    public static IEnumerable<object[]> Snippets() =>
        TestSourceCorpus.Snippets.Select(snippet => new object[] { snippet.Name });

    [Fact]
    public void The_corpus_holds_the_test_snippets() =>
        Assert.True(TestSourceCorpus.Snippets.Count >= 20, "only " + TestSourceCorpus.Snippets.Count + " snippets found");

    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task No_analyzer_throws_on_any_broken_variant_of(string snippet)
    {
        var source = TestSourceCorpus.Snippets.First(s => s.Name == snippet).Text;
        var withPrelude = !source.Contains("struct Pfn", StringComparison.Ordinal);
        var variants = SourceMutations.Truncations(source, Truncations)
            .Concat(SourceMutations.TokenDeletions(source, Deletions, Seed ^ StableHash(snippet)));
        var results = await Task.WhenAll(variants.Select(variant => AnalyzerExceptionsAsync(variant, withPrelude)));
        var failures = results.SelectMany(found => found).ToArray();

        Assert.True(failures.Length == 0, string.Join(Environment.NewLine, failures));
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, and the variants must be the same every run.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    private static string RegressionsDirectory => RepositoryRoot.PathOf("tests", "Analyzers.Tests", "Robustness", "Regressions");

    /// <summary>Broken variants that once made an analyzer throw, kept verbatim under Robustness/Regressions.</summary>
    public static IEnumerable<object[]> Regressions() =>
        Directory.EnumerateFiles(RegressionsDirectory, "*.cs.txt")
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => new object[] { Path.GetFileName(path) });

    [Theory]
    [MemberData(nameof(Regressions))]
    public async Task No_analyzer_throws_on_the_regression_variant(string file)
    {
        var variant = File.ReadAllText(Path.Combine(RegressionsDirectory, file));

        var failures = await AnalyzerExceptionsAsync(variant, withPrelude: true);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task A_throwing_analyzer_is_caught_by_this_harness()
    {
        var failures = await AnalyzerExceptionsAsync("class C { }", withPrelude: false, new ThrowingAnalyzer());
        Assert.NotEmpty(failures);
    }

    private static async Task<IReadOnlyList<string>> AnalyzerExceptionsAsync(string variant, bool withPrelude, params DiagnosticAnalyzer[] extra)
    {
        var trees = Contract.Value.Add(CSharpSyntaxTree.ParseText(variant, path: "Variant.cs"));
        if (withPrelude)
        {
            trees = trees.Add(CSharpSyntaxTree.ParseText(SimPrelude.Source, path: "SimPrelude.cs"));
        }

        var compilation = CSharpCompilation.Create(
            "Variant",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var exceptions = new ConcurrentQueue<string>();
        var analyzers = ShippedRules.Analyzers.Concat(extra).ToImmutableArray();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue(analyzer.GetType().Name + ": " + exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        // Only the variant is analyzed: the attribute and prelude trees are the same well-formed code every time.
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var variantTree = trees[Contract.Value.Length];
        var diagnostics = (await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(variantTree, CancellationToken.None))
            .AddRange(await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(variantTree), filterSpan: null, CancellationToken.None));
        foreach (var diagnostic in diagnostics.Where(d => d.Id == "AD0001"))
        {
            exceptions.Enqueue(diagnostic.GetMessage());
        }

        return exceptions.Select(message => message + Environment.NewLine + "--- in variant ---" + Environment.NewLine + variant).ToArray();
    }
}
