using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Flow;

namespace MmuGuard.Analyzers.Rules;

/// <summary>
/// MMU0010: ownership attributes that contradict each other or do not fit the member they sit on. Every contract
/// the flow rules read depends on these being coherent, so each declaration is checked once, as a symbol.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AnnotationMisuseAnalyzer : DiagnosticAnalyzer
{
    private static readonly SymbolDisplayFormat MemberFormat = SymbolDisplayFormat.CSharpShortErrorMessageFormat;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AnnotationMisuse);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var shared = CompilationContracts.Of(start.Compilation);
            if (!shared.Known.SeesAttributes)
            {
                return;
            }

            var contracts = shared.Attributes;
            var hardware = HardwareFieldVocabulary.TryCreate(start.Compilation);

            // Only a member whose declaration names one of the attributes can misuse them: the others are skipped
            // before their attributes are read (bound), which every symbol of the compilation would otherwise cost.
            var vocabulary = new List<INamedTypeSymbol?>(shared.Known.OwnershipAttributes) { shared.Known.DoesNotReturnIf };
            if (hardware is not null)
            {
                vocabulary.Add(hardware.ReloadedOnInvalidation);
            }

            var candidates = new AttributeNameFilter(start.Compilation, vocabulary);
            start.RegisterSymbolAction(
                symbolContext =>
                {
                    if (symbolContext.Symbol.IsImplicitlyDeclared || !candidates.MayCarry(symbolContext.Symbol, symbolContext.CancellationToken))
                    {
                        return;
                    }

                    AnalyzeMember(symbolContext, contracts);
                    if (hardware is not null)
                    {
                        HardwareFieldAnnotations.Analyze(symbolContext, hardware);
                    }
                },
                SymbolKind.Method,
                SymbolKind.Field,
                SymbolKind.Property);
        });
    }

    private static void AnalyzeMember(SymbolAnalysisContext context, ContractCache contracts)
    {
        var symbol = context.Symbol;
        if (symbol.IsImplicitlyDeclared)
        {
            return;
        }

        var own = contracts.Of(symbol);
        if (symbol is IMethodSymbol method)
        {
            // A partial method's two parts share one merged set of attributes: judge it once, on the definition.
            if (method.PartialDefinitionPart is null)
            {
                AnalyzeMethod(context, contracts, method, own);
            }
        }
        else if (own != Contract.None)
        {
            ReportConflicts(context, contracts.Known, symbol, own, AnnotationConflict.OnTarget, returnValue: false);
            if (own.Has(Contract.Borrowed) && symbol.ContainingType is { } owner && !contracts.Of(owner).Has(Contract.OperationContext))
            {
                Report(context, symbol, contracts.Known.Borrowed, returnValue: false,
                    $"{Describe(symbol, false)} is marked [Borrowed] but '{owner.ToDisplayString(MemberFormat)}' is not an [OperationContext]; a borrowed PFN may be kept for one operation only, long-lived storage of one must be [NotifierCovered]");
            }

            if (own.Has(Contract.NotRefcountedCheck) && symbol is IPropertySymbol { Type.SpecialType: not SpecialType.System_Boolean } property)
            {
                Report(context, property, contracts.Known.NotRefcountedCheck, returnValue: false,
                    $"{Describe(property, false)} is marked [NotRefcountedCheck] but is '{property.Type.ToDisplayString(MemberFormat)}'; the check must answer with a bool");
            }
        }
    }

    /// <remarks>Runs for every method of the compilation, so names are formatted only when something is reported.</remarks>
    private static void AnalyzeMethod(SymbolAnalysisContext context, ContractCache contracts, IMethodSymbol method, Contract own)
    {
        if (own == Contract.None)
        {
            return; // HasAnnotatedParameter is part of the method's contract, so no parameter carries anything either
        }

        var known = contracts.Known;
        ReportConflicts(context, known, method, own, AnnotationConflict.OnTarget, returnValue: false);
        ReportConflicts(context, known, method, own, AnnotationConflict.OnReturn, returnValue: true);

        var returnsBool = method.ReturnType.SpecialType == SpecialType.System_Boolean;
        if (own.Has(Contract.TryAcquiresPin) && TryPinResultProblem(method, own) is { } methodProblem)
        {
            Report(context, method, known.TryAcquiresPin, returnValue: false,
                $"{Describe(method, false)} is marked [TryAcquiresPin] but returns '{ReturnTypeOf(method)}'; {methodProblem}");
        }

        if (own.Has(Contract.NotRefcountedCheck) && !returnsBool)
        {
            Report(context, method, known.NotRefcountedCheck, returnValue: false,
                $"{Describe(method, false)} is marked [NotRefcountedCheck] but returns '{ReturnTypeOf(method)}'; the check must answer with a bool (whether the value has no refcounted page)");
        }

        if (own.Has(Contract.ReturnNotZero) && !CanBeZero(method.ReturnType))
        {
            Report(context, method, known.NotZero, returnValue: true,
                $"{Describe(method, true)} is marked [NotZero] but is '{ReturnTypeOf(method)}'; only a number, enum, pointer or reference (zero or null otherwise) can be promised never zero");
        }

        if (own.Has(Contract.ChecksInvalidationRetry) && !returnsBool)
        {
            Report(context, method, known.ChecksInvalidationRetry, returnValue: false,
                $"{Describe(method, false)} is marked [ChecksInvalidationRetry] but returns '{ReturnTypeOf(method)}'; the retry check must answer with a bool (true = drop the PFN and retry)");
        }

        if (own.Has(Contract.SnapshotsInvalidationSequence) && method.ReturnsVoid)
        {
            Report(context, method, known.SnapshotsInvalidationSequence, returnValue: false,
                $"{Describe(method, false)} is marked [SnapshotsInvalidationSequence] but returns void; the snapshot must be returned so the retry check can compare against it");
        }

        if (method.IsStatic)
        {
            ReportReceiverFormsOnStatic(context, known, method, own);
        }

        if (!own.Has(Contract.HasAnnotatedParameter))
        {
            return;
        }

        foreach (var parameter in method.Parameters)
        {
            var onParameter = contracts.Of(parameter);
            if (onParameter == Contract.None)
            {
                continue;
            }

            ReportConflicts(context, known, parameter, onParameter, AnnotationConflict.OnTarget, returnValue: false);
            if (onParameter.Has(Contract.ErrorCheck) && method.ReturnType.SpecialType != SpecialType.System_Boolean)
            {
                Report(context, parameter, known.ErrorCheck, returnValue: false,
                    $"{Describe(parameter, false)} is marked [ErrorCheck], but the method returns '{ReturnTypeOf(method)}'; an error check must answer with a bool (true = the argument is an error value)");
            }

            if (onParameter.Has(Contract.TryAcquiresPin) && TryPinResultProblem(method, onParameter) is { } parameterProblem)
            {
                Report(context, parameter, known.TryAcquiresPin, returnValue: false,
                    $"{Describe(parameter, false)} is marked [TryAcquiresPin], but the method returns '{ReturnTypeOf(method)}'; {parameterProblem}");
            }
        }
    }

    /// <summary>
    /// Why a try-pin's result cannot say whether it pinned, or <see langword="null"/>: a <c>bool</c> says it by its
    /// value, an <c>int</c> or enum by its <c>SuccessResult</c>, any other value by not being an error value.
    /// </summary>
    private static string? TryPinResultProblem(IMethodSymbol method, Contract contract)
    {
        var type = method.ReturnType;
        var onResult = contract.Has(Contract.TryAcquiresPinOnResult);
        if (method.ReturnsVoid)
        {
            return "a try-pin must report with its result whether it pinned";
        }

        var integral = type.TypeKind == TypeKind.Enum || type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
            or SpecialType.System_Int16 or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_UInt16
            or SpecialType.System_UInt32;
        return integral && !onResult ? "an int or enum result must name the result that means pinned (SuccessResult = …)"
            : !integral && onResult ? "SuccessResult is only for an int or enum result"
            : !onResult && contract.Has(Contract.TryAcquiresPinSuccessIsHighest) ? "SuccessIsHighest orders the results around SuccessResult, which is not set"
            : null;
    }

    private static void ReportReceiverFormsOnStatic(SymbolAnalysisContext context, KnownSymbols known, IMethodSymbol method, Contract own)
    {
        ReportReceiverForm(Contract.AcquiresPin, known.AcquiresPin);
        ReportReceiverForm(Contract.TryAcquiresPin, known.TryAcquiresPin);
        ReportReceiverForm(Contract.ReleasesPin, known.ReleasesPin);
        ReportReceiverForm(Contract.RequiresPin, known.RequiresPin);
        ReportReceiverForm(Contract.AcquiresLock, known.AcquiresLock);
        ReportReceiverForm(Contract.ReleasesLock, known.ReleasesLock);

        void ReportReceiverForm(Contract form, INamedTypeSymbol? attribute)
        {
            if (own.Has(form))
            {
                Report(context, method, attribute, returnValue: false,
                    $"{Describe(method, false)} is static, but [{ShortName(attribute)}] on a method acts on its receiver; put it on the parameter it applies to");
            }
        }
    }

    private static void ReportConflicts(
        SymbolAnalysisContext context,
        KnownSymbols known,
        ISymbol target,
        Contract contract,
        AnnotationConflict[] conflicts,
        bool returnValue)
    {
        foreach (var conflict in conflicts)
        {
            if (!contract.Has(conflict.First) || !contract.Has(conflict.Second))
            {
                continue;
            }

            var first = AttributeOf(known, conflict.First);
            var second = AttributeOf(known, conflict.Second);
            Report(context, target, second, returnValue,
                $"{Describe(target, returnValue)} is marked both [{ShortName(first)}] and [{ShortName(second)}]: {conflict.Reason}");
        }
    }

    /// <summary>How a message names the target: <c>'Pages.Pin(Pfn)'</c>, <c>Parameter 'pfn' of '...'</c>, <c>The return value of '...'</c>.</summary>
    internal static string Describe(ISymbol target, bool returnValue) => target switch
    {
        IMethodSymbol method when returnValue => "The return value of '" + method.ToDisplayString(MemberFormat) + "'",
        IParameterSymbol parameter => "Parameter '" + parameter.Name + "' of '" + parameter.ContainingSymbol.ToDisplayString(MemberFormat) + "'",
        _ => "'" + target.ToDisplayString(MemberFormat) + "'",
    };

    /// <summary>Whether a value of <paramref name="type"/> can be zero or null, so that "never zero" says something.</summary>
    private static bool CanBeZero(ITypeSymbol type) =>
        type.IsReferenceType
        || type.TypeKind is TypeKind.Enum or TypeKind.Pointer or TypeKind.FunctionPointer
        || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
        || type.SpecialType is SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16
            or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64
            or SpecialType.System_UInt64 or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_Char;

    private static string ReturnTypeOf(IMethodSymbol method) => method.ReturnType.ToDisplayString(MemberFormat);

    /// <summary>Places the diagnostic on the offending attribute when it is in source, else on the member.</summary>
    private static void Report(
        SymbolAnalysisContext context, ISymbol target, INamedTypeSymbol? attributeType, bool returnValue, string message)
    {
        var location = AttributeLocation(target, attributeType, returnValue, context.CancellationToken)
            ?? (target.Locations.IsDefaultOrEmpty ? Location.None : target.Locations[0]);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.AnnotationMisuse, location, message));
    }

    private static Location? AttributeLocation(
        ISymbol target, INamedTypeSymbol? attributeType, bool returnValue, CancellationToken cancellationToken)
    {
        if (attributeType is null)
        {
            return null;
        }

        var attributes = returnValue && target is IMethodSymbol method ? method.GetReturnTypeAttributes() : target.GetAttributes();
        foreach (var attribute in attributes)
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType)
                && attribute.ApplicationSyntaxReference is { } reference)
            {
                return reference.GetSyntax(cancellationToken).GetLocation();
            }
        }

        return null;
    }

    private static INamedTypeSymbol? AttributeOf(KnownSymbols known, Contract flag) => flag switch
    {
        Contract.Pinned or Contract.ReturnPinned => known.Pinned,
        Contract.Borrowed or Contract.ReturnBorrowed => known.Borrowed,
        Contract.AcquiresPin => known.AcquiresPin,
        Contract.TryAcquiresPin => known.TryAcquiresPin,
        Contract.ReleasesPin => known.ReleasesPin,
        Contract.TakesPinOwnership => known.TakesPinOwnership,
        Contract.RequiresPin => known.RequiresPin,
        Contract.OutOfBandSink => known.OutOfBandSink,
        Contract.NotifierCoveredSink => known.NotifierCoveredSink,
        Contract.NotifierCovered => known.NotifierCovered,
        Contract.AcquiresLock => known.AcquiresLock,
        Contract.ReleasesLock => known.ReleasesLock,
        _ => null,
    };

    private static string ShortName(INamedTypeSymbol? attribute)
    {
        var name = attribute?.Name ?? "?";
        const string Suffix = "Attribute";
        return name.EndsWith(Suffix, System.StringComparison.Ordinal) ? name.Substring(0, name.Length - Suffix.Length) : name;
    }
}
