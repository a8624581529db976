using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Benchmarks;

/// <summary>
/// <c>ide-latency SRC_DIR [ROUNDS]</c>: what the IDE pays for MmuGuard on one open document. The first parts of the
/// analyzer corpus are merged into one document of at least 2,000 lines; the rest of the corpus is the project around
/// it. Each round edits one method body of that document (a new compilation, as after a keystroke), lets the compiler
/// bind the document's declarations, then times every MmuGuard analyzer through
/// <c>CompilationWithAnalyzers.GetAnalyzerSemanticDiagnosticsAsync</c> for that one tree, next to the compiler's own
/// semantic diagnostics of the same tree (the floor an IDE pays anyway). The first rounds warm the JIT and are not kept.
/// </summary>
public static class IdeLatencyCommand
{
    public const string Name = "ide-latency";

    private const int DocumentLines = 2_000;

    private const int WarmupRounds = 3;

    public static int Run(string[] args)
    {
        if (args.Length < 1 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: " + Name + " SRC_DIR [ROUNDS]  (SRC_DIR: the src folder analyzer-corpus wrote)");
            return 2;
        }

        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        var parts = Directory.GetFiles(args[0], "Part*.cs").OrderBy(path => path, StringComparer.Ordinal).ToArray();
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var (documentText, merged) = MergedDocument(parts);
        var document = CSharpSyntaxTree.ParseText(documentText, parseOptions, "Document.cs");
        var project = parts.Skip(merged).Append(Path.Combine(args[0], "SimApi.cs"))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path))
            .Append(document)
            .ToImmutableArray();
        var compilation = FlowProfileCommand.Compile(project);
        Console.WriteLine(
            $"document: {document.GetText().Lines.Count} lines ({merged} corpus parts); project: {project.Sum(tree => tree.GetText().Lines.Count)} lines " +
            $"in {project.Length} files, {compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error)} compile errors");

        var analyzers = typeof(OwnershipFlowAnalyzer).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null)
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .ToImmutableArray();
        var analyzerTimes = new List<double>();
        var floorTimes = new List<double>();
        var findings = string.Empty;
        for (var round = 0; round < WarmupRounds + rounds; round++)
        {
            // A keystroke: one literal in one method body changes, so the compilation is new and nothing is cached.
            var edited = document.WithChangedText(document.GetText().Replace(EditSpan(document), (round % 10).ToString(CultureInfo.InvariantCulture)));
            var current = compilation.ReplaceSyntaxTree(document, edited);
            current.GetDeclarationDiagnostics();

            var floor = Stopwatch.StartNew();
            current.GetSemanticModel(edited).GetDiagnostics();
            floor.Stop();

            var withAnalyzers = current.WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
            var timer = Stopwatch.StartNew();
            var diagnostics = withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(current.GetSemanticModel(edited), null, CancellationToken.None).GetAwaiter().GetResult();
            timer.Stop();
            if (round >= WarmupRounds)
            {
                analyzerTimes.Add(timer.Elapsed.TotalMilliseconds);
                floorTimes.Add(floor.Elapsed.TotalMilliseconds);
            }

            if (round == WarmupRounds + rounds - 1)
            {
                // The driver's own split of the last round, per analyzer (callback time, summed over threads).
                foreach (var analyzer in analyzers)
                {
                    var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
                    Console.WriteLine($"  last round, {analyzer.GetType().Name}: {telemetry.ExecutionTime.TotalMilliseconds:F1} ms");
                }
            }

            findings = string.Join(" ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
        }

        Console.WriteLine($"MmuGuard analyzers on the document, warm: median {GeneratorTimingCommand.Median(analyzerTimes):F1} ms (min {analyzerTimes.Min():F1}, max {analyzerTimes.Max():F1}) over {rounds} rounds; findings {findings}");
        Console.WriteLine($"compiler's own semantic diagnostics of the document: median {GeneratorTimingCommand.Median(floorTimes):F1} ms (min {floorTimes.Min():F1}, max {floorTimes.Max():F1})");
        return 0;
    }

    /// <summary>The first corpus parts, usings hoisted and file-scoped namespaces made block-scoped, until the text has 2,000 lines.</summary>
    private static (string Text, int Parts) MergedDocument(string[] parts)
    {
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var body = new StringBuilder();
        var lines = 0;
        var merged = 0;
        while (lines < DocumentLines && merged < parts.Length)
        {
            foreach (var line in File.ReadAllLines(parts[merged]))
            {
                if (line.StartsWith("using ", StringComparison.Ordinal))
                {
                    usings.Add(line);
                }
                else if (line.StartsWith("namespace ", StringComparison.Ordinal) && line.EndsWith(";", StringComparison.Ordinal))
                {
                    body.Append(line, 0, line.Length - 1).Append("\n{\n");
                    lines += 2;
                }
                else
                {
                    body.Append(line).Append('\n');
                    lines++;
                }
            }

            body.Append("}\n");
            lines++;
            merged++;
        }

        return (string.Join("\n", usings) + "\n\n" + body, merged);
    }

    /// <summary>The span of the first integer literal after the first <c>return</c> in the document (inside a method body).</summary>
    private static Microsoft.CodeAnalysis.Text.TextSpan EditSpan(SyntaxTree document)
    {
        var literal = document.GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax>()
            .First(node => node.IsKind(SyntaxKind.NumericLiteralExpression) && node.Ancestors().Any(a => a is Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax));
        return literal.Span;
    }
}
