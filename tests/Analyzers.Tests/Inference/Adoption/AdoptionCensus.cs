using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Tests.Inference.Adoption;

/// <summary>
/// Hand-written contracts against inferred ones, place by place ("documentation ID placement"), and the diagnostics
/// the re-annotated code gets that the original did not: the rows of docs/adoption.md.
/// </summary>
internal sealed record AdoptionCensus(ImmutableArray<AdoptionRow> Rows, int HandWritten, int Kept, int Passes, ImmutableArray<string> NewDiagnostics)
{
    public int Count(string result) => Rows.Count(row => row.Result == result);

    public static async Task<ImmutableArray<string>> AnnotationsAsync(Project project, Func<string, bool> isMeasured)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var found = new List<string>();
        foreach (var tree in compilation.SyntaxTrees.Where(tree => isMeasured(tree.FilePath)))
        {
            found.AddRange(OwnershipAttributes.Census(compilation.GetSemanticModel(tree), tree, OwnershipAttributes.Inferable));
        }

        return found.Distinct().OrderBy(entry => entry, StringComparer.Ordinal).ToImmutableArray();
    }

    public static AdoptionCensus Compare(ImmutableArray<string> handWritten, ImmutableArray<string> inferred, int kept, int passes, IEnumerable<string> newDiagnostics)
    {
        static ILookup<string, string> ByPlace(IEnumerable<string> entries) => entries.ToLookup(
            entry => entry.Substring(0, entry.LastIndexOf(": ", StringComparison.Ordinal)),
            entry => entry.Substring(entry.LastIndexOf(": ", StringComparison.Ordinal) + 2));

        var hand = ByPlace(handWritten);
        var found = ByPlace(inferred);
        var rows = new List<AdoptionRow>();
        foreach (var place in hand.Select(group => group.Key).Union(found.Select(group => group.Key)).OrderBy(p => p, StringComparer.Ordinal))
        {
            var expected = string.Join(", ", hand[place].OrderBy(a => a, StringComparer.Ordinal));
            var actual = string.Join(", ", found[place].OrderBy(a => a, StringComparer.Ordinal));
            var result = expected == actual ? "recovered"
                : actual.Length == 0 ? "missing"
                : expected.Length == 0 ? "extra"
                : "differs";
            rows.Add(new AdoptionRow(result, place, expected, actual));
        }

        return new AdoptionCensus(rows.ToImmutableArray(), handWritten.Length, kept, passes, newDiagnostics.OrderBy(d => d, StringComparer.Ordinal).ToImmutableArray());
    }
}

/// <summary>One place: what the hand-written code says there, what the inference wrote, and the verdict.</summary>
internal sealed record AdoptionRow(string Result, string Place, string HandWritten, string Inferred)
{
    public override string ToString() => $"| {Result} | `{Place}` | {HandWritten} | {Inferred} |";
}
