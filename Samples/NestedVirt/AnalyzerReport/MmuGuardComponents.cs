using System;
using System.Collections.Immutable;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MmuGuard.Samples.NestedVirt.AnalyzerReport;

/// <summary>The MmuGuard analyzers and bookkeeping generator, loaded from the assemblies built from this repository.</summary>
internal sealed class MmuGuardComponents
{
    private MmuGuardComponents(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<ISourceGenerator> generators)
    {
        Analyzers = analyzers;
        Generators = generators;
    }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    public ImmutableArray<ISourceGenerator> Generators { get; }

    /// <summary>Loads them the way the compiler does, through <see cref="AnalyzerFileReference"/>.</summary>
    public static MmuGuardComponents LoadFromAppDirectory()
    {
        var loader = new AppDirectoryAnalyzerLoader();
        var analyzers = Reference("MmuGuard.Analyzers.dll", loader).GetAnalyzers(LanguageNames.CSharp);
        var generators = Reference("MmuGuard.Generators.dll", loader).GetGenerators(LanguageNames.CSharp);
        if (analyzers.IsEmpty)
        {
            throw new InvalidOperationException("MmuGuard.Analyzers.dll holds no C# analyzer.");
        }

        return new MmuGuardComponents(analyzers, generators);
    }

    private static AnalyzerFileReference Reference(string fileName, IAnalyzerAssemblyLoader loader)
    {
        var path = Path.Combine(AppContext.BaseDirectory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{fileName} is not next to the program; the project must reference it with ReferenceOutputAssembly=true.", path);
        }

        return new AnalyzerFileReference(path, loader);
    }
}
