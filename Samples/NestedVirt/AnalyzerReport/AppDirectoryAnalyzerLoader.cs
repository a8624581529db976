using System.Reflection;
using Microsoft.CodeAnalysis;

namespace MmuGuard.Samples.NestedVirt.AnalyzerReport;

/// <summary>
/// Loads analyzer assemblies that were copied next to this program (the MmuGuard analyzer and generator projects are
/// referenced with <c>ReferenceOutputAssembly</c>): the default load context already resolves them and Roslyn.
/// </summary>
internal sealed class AppDirectoryAnalyzerLoader : IAnalyzerAssemblyLoader
{
    public void AddDependencyLocation(string fullPath)
    {
        // Dependencies (Roslyn itself) come from the application's own load context.
    }

    public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
}
