using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MmuGuard.Generators.Tests.Infrastructure;
using MmuGuard.Generators.Tests.Inputs;
using MmuGuard.Shared;
using MmuGuard.Tests.Shared;
using Xunit;

namespace MmuGuard.Generators.Tests;

/// <summary>
/// Every owner shape is either served with generated code that compiles without a single error or warning, or
/// refused: no generated code for it and at least one MMU0011–MMU0015 finding on it. Never broken generated code,
/// never silence.
/// </summary>
public sealed class OwnerShapeCorpusTests
{
    [Theory]
    [MemberData(nameof(OwnerShapeCorpus.Shapes), MemberType = typeof(OwnerShapeCorpus))]
    public async Task Corpus_shape_is_served_with_compiling_code_or_refused_with_a_finding(
        string shape, string source, LanguageVersion version, bool served)
    {
        var servedOwners = await AssertServedOrRefusedAsync(shape, new CSharpParseOptions(version), source);

        Assert.True(served == servedOwners.All(isServed => isServed), $"{shape}: expected every owner served = {served}");
    }

    [Theory]
    [MemberData(nameof(UnservedShapeTests.Shapes), MemberType = typeof(UnservedShapeTests))]
    public async Task Unserved_shape_is_refused_with_a_finding(string shape, string declaration)
    {
        var servedOwners = await AssertServedOrRefusedAsync(shape, GeneratorHarness.ParseOptions, UnservedShapeTests.WithUsings(declaration));

        Assert.DoesNotContain(true, servedOwners);
    }

    [Theory]
    [MemberData(nameof(RepresentativeInputs.Names), MemberType = typeof(RepresentativeInputs))]
    public async Task Representative_input_is_served_with_compiling_code(string name)
    {
        var servedOwners = await AssertServedOrRefusedAsync(name, GeneratorHarness.ParseOptions, RepresentativeInputs.Named(name).Sources);

        Assert.True(servedOwners.Count > 0 && servedOwners.All(isServed => isServed), $"{name}: every owner served");
    }

    /// <summary>Asserts each owner is served with clean code or refused with a finding; returns which were served.</summary>
    private static async Task<List<bool>> AssertServedOrRefusedAsync(string shape, CSharpParseOptions parseOptions, params string[] sources)
    {
        var run = GeneratorHarness.Run(parseOptions, sources);
        Assert.True(run.GeneratorException is null, $"{shape}: {run.GeneratorException}");
        Assert.Empty(run.GeneratedCodeProblems);

        var findings = await MappingFindings.OfAsync(run.Output);
        var generatedPaths = run.GeneratedSources.Select(source => source.SyntaxTree.FilePath).ToHashSet();
        var servedOwners = new List<bool>();
        foreach (var owner in OwnersIn(run.Output))
        {
            var served = owner.DeclaringSyntaxReferences.Any(reference => generatedPaths.Contains(reference.SyntaxTree.FilePath));
            var ownerFindings = findings.Where(finding => IsWithin(finding.Location, owner)).ToList();
            var findingText = string.Join("; ", ownerFindings.Select(finding => finding.Id + ": " + finding.GetMessage()));
            Assert.True(
                served != (ownerFindings.Count > 0),
                $"{shape}: owner {owner.Name} served = {served}, findings [{findingText}]");
            servedOwners.Add(served);
        }

        return servedOwners;
    }

    /// <summary>The source types with a field that asks for a mapping.</summary>
    private static IEnumerable<INamedTypeSymbol> OwnersIn(Compilation compilation)
    {
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (var member in pending.Pop().GetMembers())
            {
                if (member is INamespaceOrTypeSymbol container)
                {
                    pending.Push(container);
                }

                if (member is INamedTypeSymbol type && MappingOwnerShape.HasMarkedField(type))
                {
                    yield return type;
                }
            }
        }
    }

    private static bool IsWithin(Location location, INamedTypeSymbol owner) =>
        owner.DeclaringSyntaxReferences.Any(reference =>
            reference.SyntaxTree == location.SourceTree && reference.Span.Contains(location.SourceSpan));
}
