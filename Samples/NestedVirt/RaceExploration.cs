using System;
using System.IO;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace MmuGuard.Samples.NestedVirt;

/// <summary>
/// <c>--explore</c>: runs <c>Samples/Races</c>' report, loaded by name. The sample's sources are also built as a
/// consumer of the packed package (tests/Package.Tests), where Coyote and the race scenarios do not exist; naming the
/// assembly instead of compiling against it keeps that build to the package alone.
/// </summary>
internal static class RaceExploration
{
    private const string AssemblyName = "MmuGuard.Samples.Races";
    private const string ReportType = "MmuGuard.Samples.Races.RaceReport";

    /// <summary>Runs the exploration; 0 when no correct scenario broke an invariant, 1 when one did, 2 when it cannot run.</summary>
    public static int Run(TextWriter output, uint iterations, string? tracePath)
    {
        MethodInfo? run;
        try
        {
            run = Assembly.Load(new AssemblyName(AssemblyName)).GetType(ReportType)?.GetMethod("Run");
        }
        catch (FileNotFoundException)
        {
            run = null;
        }

        if (run is null)
        {
            Console.Error.WriteLine($"error: --explore needs {AssemblyName} beside the program (build Samples/NestedVirt from the repository).");
            return 2;
        }

        try
        {
            return (bool)run.Invoke(null, new object?[] { output, iterations, tracePath })! ? 0 : 1;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
