using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0010's checks of the hardware-field vocabulary: <c>[ReloadedOnInvalidation]</c> means something only on a
/// <c>[HardwareFieldSink]</c> (or a method that has one) and only with a request name, so MMU0022 never takes an
/// empty promise for a reload.
/// </summary>
internal static class HardwareFieldAnnotations
{
    private static readonly SymbolDisplayFormat MemberFormat = SymbolDisplayFormat.CSharpShortErrorMessageFormat;

    /// <summary>Reports every misplaced or unnamed <c>[ReloadedOnInvalidation]</c> on <paramref name="context"/>'s symbol and its parameters.</summary>
    public static void Analyze(SymbolAnalysisContext context, HardwareFieldVocabulary vocabulary)
    {
        var symbol = context.Symbol;
        if (vocabulary.ReloadedOnInvalidation is null || symbol.IsImplicitlyDeclared)
        {
            return;
        }

        if (symbol is IMethodSymbol method)
        {
            var hasSink = false;
            foreach (var parameter in method.Parameters)
            {
                var isSink = HardwareFieldVocabulary.Has(parameter, vocabulary.HardwareFieldSink);
                hasSink |= isSink;
                Check(context, vocabulary, parameter, isSink, "parameter '" + parameter.Name + "' of '" + method.ToDisplayString(MemberFormat) + "'");
            }

            Check(context, vocabulary, method, hasSink, "'" + method.ToDisplayString(MemberFormat) + "'", "has no [HardwareFieldSink] parameter");
        }
        else
        {
            Check(context, vocabulary, symbol, HardwareFieldVocabulary.Has(symbol, vocabulary.HardwareFieldSink), "'" + symbol.ToDisplayString(MemberFormat) + "'");
        }
    }

    private static void Check(
        SymbolAnalysisContext context,
        HardwareFieldVocabulary vocabulary,
        ISymbol target,
        bool isSink,
        string described,
        string notSink = "is no [HardwareFieldSink]")
    {
        if (ReloadOf(target, vocabulary) is not { } reload)
        {
            return;
        }

        var location = reload.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation()
            ?? (target.Locations.IsDefaultOrEmpty ? Location.None : target.Locations[0]);
        if (!isSink)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AnnotationMisuse,
                location,
                $"{described} is marked [ReloadedOnInvalidation] but {notSink}; a vCPU request reloads only an address the CPU consumes"));
        }
        else if (!vocabulary.DeclaresReload(target))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AnnotationMisuse,
                location,
                $"{described} is marked [ReloadedOnInvalidation] without a request name; name the vCPU request the invalidation raises"));
        }
    }

    private static AttributeData? ReloadOf(ISymbol target, HardwareFieldVocabulary vocabulary)
    {
        foreach (var attribute in target.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, vocabulary.ReloadedOnInvalidation))
            {
                return attribute;
            }
        }

        return null;
    }
}
