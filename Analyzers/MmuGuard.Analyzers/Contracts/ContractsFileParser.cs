using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using MmuGuard.Analyzers.Flow;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.Contracts;

/// <summary>
/// Reads contracts files: one <c>ID  [return: | param NAME:]  Word, Word</c> line per member, <c>#</c> comments
/// and blank lines allowed. Every problem becomes a diagnostic on its line; nothing throws.
/// </summary>
internal sealed class ContractsFileParser
{
    private readonly Compilation _compilation;
    private readonly ContractCache _attributes;
    private readonly Dictionary<ISymbol, Contract> _contracts = new(SymbolEqualityComparer.Default);
    private readonly ImmutableArray<Diagnostic>.Builder _problems = ImmutableArray.CreateBuilder<Diagnostic>();

    private ContractsFileParser(Compilation compilation, KnownSymbols known)
    {
        _compilation = compilation;
        _attributes = new ContractCache(known);
    }

    private enum TargetKind
    {
        Member,
        Return,
        Parameter,
    }

    /// <summary>The contracts of every contracts file among <paramref name="additionalFiles"/>.</summary>
    public static ContractsFile Read(
        Compilation compilation, KnownSymbols known, ImmutableArray<AdditionalText> additionalFiles, CancellationToken cancellationToken)
    {
        ContractsFileParser? parser = null;
        foreach (var file in additionalFiles)
        {
            if (!ContractsFile.IsContractsFile(file.Path) || file.GetText(cancellationToken) is not { } text)
            {
                continue;
            }

            parser ??= new ContractsFileParser(compilation, known);
            foreach (var line in text.Lines)
            {
                cancellationToken.ThrowIfCancellationRequested();
                parser.ReadLine(file.Path, text, line);
            }
        }

        return parser is null
            ? ContractsFile.Empty
            : new ContractsFile(parser._contracts.ToImmutableDictionary(SymbolEqualityComparer.Default), parser._problems.ToImmutable());
    }

    private void ReadLine(string path, SourceText text, TextLine line)
    {
        var content = text.ToString(line.Span);
        var end = CommentStart(content);
        while (end > 0 && char.IsWhiteSpace(content[end - 1]))
        {
            end--;
        }

        var idStart = SkipSpaces(content, 0, end);
        if (idStart == end)
        {
            return;
        }

        var idEnd = idStart;
        while (idEnd < end && !char.IsWhiteSpace(content[idEnd]))
        {
            idEnd++;
        }

        var id = content.Substring(idStart, idEnd - idStart);
        Location At(int start, int stop) => LocationOf(path, text, line, start, stop);

        if (id.Length < 3 || id[1] != ':' || id[0] is not ('M' or 'F' or 'P' or 'T'))
        {
            Report(Descriptors.ContractsFileMalformedLine, At(idStart, idEnd),
                $"'{id}' is not a documentation-comment ID; a line starts with M:, F: or P: and the member's full name, e.g. 'M:Vendor.Mm.PageTable.Walk(System.UInt64)'");
            return;
        }

        if (id[0] == 'T')
        {
            Report(Descriptors.ContractsFileMalformedLine, At(idStart, end),
                $"'{id}': contracts attach to members, not types; the analysis follows a value of any type from the member that produces it, so name the methods, parameters, fields and properties instead");
            return;
        }

        var restStart = SkipSpaces(content, idEnd, end);
        if (restStart == end)
        {
            Report(Descriptors.ContractsFileMalformedLine, At(idStart, idEnd),
                $"'{id}' has no contract after it; write e.g. '{id}  return: Pinned' or '{id}  param pfn: ReleasesPin'");
            return;
        }

        if (!TryReadTarget(content, restStart, end, out var kind, out var parameterName, out var wordsStart))
        {
            Report(Descriptors.ContractsFileMalformedLine, At(restStart, end),
                "Expected 'return: Word, ...', 'param NAME: Word, ...' or 'Word, ...' (the member itself) after the ID");
            return;
        }

        var symbols = DocumentationCommentId.GetSymbolsForDeclarationId(id, _compilation);
        if (symbols.IsDefaultOrEmpty)
        {
            Report(Descriptors.ContractsFileUnknownSymbol, At(idStart, idEnd),
                $"'{id}' names no member this compilation sees; check the namespace, that parameter types are full metadata names (System.UInt64, not ulong) and that the assembly is referenced");
            return;
        }

        var contract = ReadWords(content, wordsStart, end, kind, At);
        if (contract == Contract.None)
        {
            return;
        }

        foreach (var symbol in symbols)
        {
            var target = TargetOf(symbol, kind, parameterName);
            if (target is null)
            {
                var message = kind == TargetKind.Return
                    ? $"'{id}' is not a method, so it has no return value to attach a contract to"
                    : $"'{id}' has no parameter named '{parameterName}'";
                Report(Descriptors.ContractsFileUnknownSymbol, At(restStart, wordsStart), message);
                continue;
            }

            Attach(target.OriginalDefinition, contract, kind == TargetKind.Return, At(SkipSpaces(content, wordsStart, end), end));
        }
    }

    /// <summary>Reads <c>return:</c>, <c>param NAME:</c> or nothing; <paramref name="wordsStart"/> is where the words begin.</summary>
    private static bool TryReadTarget(
        string content, int start, int end, out TargetKind kind, out string parameterName, out int wordsStart)
    {
        kind = TargetKind.Member;
        parameterName = string.Empty;
        wordsStart = start;
        var colon = content.IndexOf(':', start, end - start);
        if (colon < 0)
        {
            return true;
        }

        var head = content.Substring(start, colon - start).Trim();
        wordsStart = colon + 1;
        if (head == "return")
        {
            kind = TargetKind.Return;
            return true;
        }

        const string Param = "param ";
        if (head.StartsWith(Param, System.StringComparison.Ordinal))
        {
            parameterName = head.Substring(Param.Length).Trim();
            kind = TargetKind.Parameter;
            return parameterName.Length > 0 && parameterName.IndexOf(' ') < 0;
        }

        return false;
    }

    private Contract ReadWords(string content, int start, int end, TargetKind kind, System.Func<int, int, Location> at)
    {
        var contract = Contract.None;
        var wordStart = start;
        while (wordStart <= end)
        {
            var comma = content.IndexOf(',', wordStart, end - wordStart);
            var wordEnd = comma < 0 ? end : comma;
            var first = SkipSpaces(content, wordStart, wordEnd);
            var last = wordEnd;
            while (last > first && char.IsWhiteSpace(content[last - 1]))
            {
                last--;
            }

            if (first == last)
            {
                Report(Descriptors.ContractsFileMalformedLine, at(wordStart, wordEnd),
                    "Empty contract word; separate the words with single commas, e.g. 'return: Borrowed, MayBeNonRefcounted'");
                return Contract.None;
            }

            var word = content.Substring(first, last - first).Replace(" ", string.Empty);
            var flag = kind == TargetKind.Return ? ContractWords.OnReturn(word) : ContractWords.OnTarget(word);
            if (flag == Contract.None)
            {
                var message = kind == TargetKind.Return && ContractWords.OnTarget(word) != Contract.None
                    ? $"'{word}' does not apply to a return value; a return value can be Pinned, Borrowed or MayBeNonRefcounted"
                    : $"'{word}' is not a contract; use an ownership attribute name without 'Attribute' (Pinned, Borrowed, MayBeNonRefcounted, AcquiresPin, TryAcquiresPin(false), ReleasesPin, TakesPinOwnership, RequiresPin, OutOfBandSink, NotifierCoveredSink, NotifierCovered, SnapshotsInvalidationSequence, ChecksInvalidationRetry, AcquiresLock, ReleasesLock, InvalidationLock)";
                Report(Descriptors.ContractsFileUnknownContract, at(first, last), message);
                return Contract.None;
            }

            contract |= flag;
            if (comma < 0)
            {
                break;
            }

            wordStart = comma + 1;
        }

        return contract;
    }

    private static ISymbol? TargetOf(ISymbol symbol, TargetKind kind, string parameterName)
    {
        switch (kind)
        {
            case TargetKind.Return:
                return symbol as IMethodSymbol;
            case TargetKind.Parameter:
                var parameters = symbol switch
                {
                    IMethodSymbol method => method.Parameters,
                    IPropertySymbol property => property.Parameters,
                    _ => ImmutableArray<IParameterSymbol>.Empty,
                };
                foreach (var parameter in parameters)
                {
                    if (parameter.Name == parameterName)
                    {
                        return parameter;
                    }
                }

                return null;
            default:
                return symbol;
        }
    }

    /// <summary>Adds the line's contract unless it contradicts what the target already carries (its attributes or earlier lines).</summary>
    private void Attach(ISymbol target, Contract contract, bool returnValue, Location location)
    {
        _contracts.TryGetValue(target, out var fromFile);
        var fromAttributes = _attributes.Of(target);
        var existing = fromFile | fromAttributes;
        var combined = existing | contract;
        foreach (var conflict in returnValue ? AnnotationConflict.OnReturn : AnnotationConflict.OnTarget)
        {
            if (combined.Has(conflict.First) && combined.Has(conflict.Second)
                && !(existing.Has(conflict.First) && existing.Has(conflict.Second)))
            {
                var source = fromAttributes.Has(conflict.First) || fromAttributes.Has(conflict.Second) ? "its attributes and this line" : "the contracts file";
                Report(Descriptors.ContractsFileContradiction, location,
                    $"{AnnotationMisuseAnalyzer.Describe(target, returnValue)} would be both {ContractWords.NameOf(conflict.First)} and {ContractWords.NameOf(conflict.Second)} (from {source}): {conflict.Reason}");
                return;
            }
        }

        _contracts[target] = fromFile | contract;
    }

    /// <summary>A <c>#</c> starts a comment at the start of a line or after a space, never inside an ID (<c>M:N.C.#ctor</c>).</summary>
    private static int CommentStart(string content)
    {
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == '#' && (i == 0 || char.IsWhiteSpace(content[i - 1])))
            {
                return i;
            }
        }

        return content.Length;
    }

    private static int SkipSpaces(string content, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(content[start]))
        {
            start++;
        }

        return start;
    }

    private static Location LocationOf(string path, SourceText text, TextLine line, int start, int end)
    {
        var span = TextSpan.FromBounds(line.Start + start, line.Start + end);
        return Location.Create(path, span, text.Lines.GetLinePositionSpan(span));
    }

    private void Report(DiagnosticDescriptor descriptor, Location location, string message) =>
        _problems.Add(Diagnostic.Create(descriptor, location, message));
}
