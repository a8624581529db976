using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MmuGuard.Analyzers.Rules;

namespace MmuGuard.Analyzers.Tests.Meta;

/// <summary>Every analyzer the MmuGuard.Analyzers assembly exports, and every descriptor they report.</summary>
internal static class ShippedRules
{
    public static Assembly AnalyzerAssembly => typeof(AnnotationMisuseAnalyzer).Assembly;

    public static IReadOnlyList<DiagnosticAnalyzer> Analyzers { get; } = AnalyzerAssembly.GetTypes()
        .Where(type => !type.IsAbstract
            && typeof(DiagnosticAnalyzer).IsAssignableFrom(type)
            && type.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Length > 0)
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
        .ToArray();

    public static IReadOnlyList<DiagnosticDescriptor> Descriptors { get; } = Analyzers
        .SelectMany(analyzer => analyzer.SupportedDiagnostics)
        .Distinct()
        .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The IDs, one row per rule, for <c>[MemberData]</c>.</summary>
    public static IEnumerable<object[]> Ids() => Descriptors.Select(d => d.Id).Distinct().Select(id => new object[] { id });

    /// <summary>The <c>public const string</c> values of <c>DiagnosticIds</c>.</summary>
    public static IReadOnlyList<string> DeclaredIds() => AnalyzerAssembly.GetType("MmuGuard.Analyzers.DiagnosticIds", throwOnError: true)!
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();

    /// <summary>The descriptors declared in <c>Descriptors</c>, whether or not an analyzer exports them yet.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> DeclaredDescriptors() => AnalyzerAssembly.GetType("MmuGuard.Analyzers.Descriptors", throwOnError: true)!
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .ToArray();
}
