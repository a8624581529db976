using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Analyzers.Rules.Inference;

/// <summary>What an inference diagnostic hands its code fix: the attribute to add, in the property <see cref="AttributeProperty"/>.</summary>
public static class InferredContract
{
    /// <summary>The diagnostic property naming the attribute to add (<c>ReleasesPin</c>, <c>TakesPinOwnership</c>, <c>RequiresPin</c>, <c>NotifierCovered</c>).</summary>
    public const string AttributeProperty = "Attribute";

    internal static ImmutableDictionary<string, string?> Properties(string attribute) =>
        ImmutableDictionary<string, string?>.Empty.Add(AttributeProperty, attribute);

    internal static string AttributeOf(DiagnosticDescriptor descriptor) => descriptor.Id switch
    {
        DiagnosticIds.InferredReleasesPin => "ReleasesPin",
        DiagnosticIds.InferredTakesPinOwnership => "TakesPinOwnership",
        DiagnosticIds.InferredRequiresPin => "RequiresPin",
        _ => "NotifierCovered",
    };
}
