using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MmuGuard.Generators.Model;
using MmuGuard.Generators.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Generators.Tests;

/// <summary>
/// The pipeline's caching, read from the driver's tracked steps: edits that cannot change the bookkeeping leave
/// every step cached or unchanged and regenerate nothing; an edit that adds a mapping does regenerate.
/// </summary>
public sealed class IncrementalCachingTests
{
    private const string Owner = """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Sim;

        public partial class Vmcs02
        {
            [OutOfBandMapping] private Pfn _apicAccessPage;
            [NotifierCoveredMapping] private Pfn _stealTime;

            public int Exits() => 0;
        }
        """;

    private const string Unrelated = """
        namespace Sim;

        public static class Counters
        {
            public static int Faults() => 0;
        }
        """;

    private static readonly string[] PipelineSteps =
    {
        TrackingNames.OutOfBandOwners, TrackingNames.CoveredOwners, TrackingNames.ServedOwners,
    };

    [Fact]
    public void Edit_to_an_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var result = RunTwice(Unrelated, Unrelated.Replace("=> 0", "=> 1"));

        AssertNothingRegenerated(result);
    }

    [Fact]
    public void Edit_inside_a_method_body_of_the_owner_leaves_every_step_cached_or_unchanged()
    {
        var result = RunTwice(Owner, Owner.Replace("public int Exits() => 0;", "public int Exits() { return 42; }"));

        AssertNothingRegenerated(result);
    }

    [Fact]
    public void Adding_a_mapping_field_regenerates_the_owner()
    {
        var result = RunTwice(Owner, Owner.Replace(
            "public int Exits()", "[OutOfBandMapping] private Pfn _postedInterruptDescriptor;\n    public int Exits()"));

        var outputs = StepOutputs(result, TrackingNames.ServedOwners);
        Assert.Contains(IncrementalStepRunReason.Modified, outputs.Select(o => o.Reason));
        Assert.Contains("MapPostedInterruptDescriptor", result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilation()
    {
        var result = RunTwice(Unrelated, Unrelated);

        var models = PipelineSteps.SelectMany(step => StepOutputs(result, step)).Select(o => o.Value).ToList();

        Assert.Contains(models, model => model is MappingOwnerModel);
        Assert.All(models.OfType<object>(), model => AssertOnlyPlainData(model.GetType(), new HashSet<Type>()));
    }

    [Fact]
    public void Each_run_generates_the_same_text()
    {
        var first = GeneratorHarness.Run(Owner).GeneratedSources.Single();
        var second = GeneratorHarness.Run(Owner).GeneratedSources.Single();

        Assert.Equal(first.HintName, second.HintName);
        Assert.Equal(first.SourceText.ToString(), second.SourceText.ToString());
    }

    private static GeneratorRunResult RunTwice(string edited, string replacement)
    {
        var compilation = GeneratorHarness.Compile(Owner, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single(t => t.ToString() == edited);
        var next = compilation.ReplaceSyntaxTree(
            tree, CSharpSyntaxTree.ParseText(replacement, GeneratorHarness.ParseOptions, tree.FilePath));
        return driver.RunGenerators(next).GetRunResult().Results.Single();
    }

    private static void AssertNothingRegenerated(GeneratorRunResult result)
    {
        foreach (var step in PipelineSteps)
        {
            Assert.All(StepOutputs(result, step), output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{step} output was {output.Reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"source output was {output.Reason}"));
    }

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> StepOutputs(GeneratorRunResult result, string step)
    {
        Assert.True(result.TrackedSteps.ContainsKey(step), $"no tracked step named {step} in {string.Join(", ", result.TrackedSteps.Keys)}");
        return result.TrackedSteps[step].SelectMany(run => run.Outputs);
    }

    private static void AssertOnlyPlainData(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string))
        {
            return;
        }

        Assert.False(
            typeof(ISymbol).IsAssignableFrom(type) || typeof(SyntaxNode).IsAssignableFrom(type)
            || typeof(Compilation).IsAssignableFrom(type) || typeof(SemanticModel).IsAssignableFrom(type)
            || typeof(Location).IsAssignableFrom(type) || typeof(SyntaxTree).IsAssignableFrom(type),
            $"{type} is Roslyn state, which defeats caching and keeps compilations alive");
        Assert.True(type.Namespace?.StartsWith("MmuGuard.Generators.Model", StringComparison.Ordinal) == true, $"{type} is not a model type");
        foreach (var property in type.GetProperties())
        {
            var propertyType = property.PropertyType;
            AssertOnlyPlainData(propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(EquatableArray<>)
                ? propertyType.GetGenericArguments()[0]
                : propertyType, seen);
        }
    }
}
