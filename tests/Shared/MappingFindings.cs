using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Rules;
using Xunit;

namespace MmuGuard.Tests.Shared;

/// <summary>
/// The MMU0011–MMU0015 findings of the real <see cref="MappingDeclarationAnalyzer"/> on a compilation, for the tests
/// that hold the generator's output against them. Linked into the analyzer and generator test projects.
/// </summary>
internal static class MappingFindings
{
    public static async Task<ImmutableArray<Diagnostic>> OfAsync(Compilation compilation)
    {
        var analyzer = new MappingDeclarationAnalyzer();
        var ids = analyzer.SupportedDiagnostics.Select(descriptor => descriptor.Id).ToImmutableHashSet();
        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(analyzer))
            .GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, diagnostic => diagnostic.Id == "AD0001");
        return diagnostics.Where(diagnostic => ids.Contains(diagnostic.Id)).ToImmutableArray();
    }
}
