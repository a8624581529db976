using BenchmarkDotNet.Running;

namespace MmuGuard.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project tests/Benchmarks -- --filter *</c>; or
/// <c>-- analyzer-corpus ...</c> to write the analyzer timing corpus (see <see cref="AnalyzerCorpusCommand"/>);
/// or <c>-- flow-profile ...</c> to time the ownership flow analysis in-process (see <see cref="FlowProfileCommand"/>);
/// or <c>-- flow-memory ...</c> for the bytes it allocates on machine-sized bodies (see <see cref="FlowMemoryCommand"/>);
/// or <c>-- ide-latency ...</c> for one document the way the IDE asks (see <see cref="IdeLatencyCommand"/>);
/// or <c>-- analyzer-split ...</c> for the CPU each analyzer adds in one process (see <see cref="AnalyzerSplitCommand"/>);
/// or <c>-- generator-timing ...</c> for the generator's first run against its floor (see <see cref="GeneratorTimingCommand"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == AnalyzerCorpusCommand.Name)
        {
            return AnalyzerCorpusCommand.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == FlowProfileCommand.Name)
        {
            return FlowProfileCommand.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == FlowMemoryCommand.Name)
        {
            return FlowMemoryCommand.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == IdeLatencyCommand.Name)
        {
            return IdeLatencyCommand.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == AnalyzerSplitCommand.Name)
        {
            return AnalyzerSplitCommand.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == GeneratorTimingCommand.Name)
        {
            return GeneratorTimingCommand.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
