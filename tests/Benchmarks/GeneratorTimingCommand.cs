using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace MmuGuard.Benchmarks;

/// <summary>
/// <c>generator-timing [RUNS]</c>: the bookkeeping generator's first run over <see cref="GeneratorBenchmarks"/>' 2,000
/// owners against its floor (the same attribute lookups with nothing behind them), run alternately (A B A B) in one
/// process after one warm-up of each, so both sides see the same machine load. Prints the medians of the process CPU
/// and wall time of each side and their ratio (docs/benchmarks.md).
/// </summary>
public static class GeneratorTimingCommand
{
    public const string Name = "generator-timing";

    public static int Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var benchmarks = new GeneratorBenchmarks();
        benchmarks.Setup();
        benchmarks.FirstRun();
        benchmarks.FloorFirstRun();
        var generator = new List<(double Cpu, double Wall)>();
        var floor = new List<(double Cpu, double Wall)>();
        for (var run = 1; run <= runs; run++)
        {
            generator.Add(Time(() => benchmarks.FirstRun()));
            floor.Add(Time(() => benchmarks.FloorFirstRun()));
            Console.WriteLine(
                $"run {run}: generator first run {generator[^1].Cpu:F3} s CPU ({generator[^1].Wall:F3} s wall); " +
                $"floor {floor[^1].Cpu:F3} s CPU ({floor[^1].Wall:F3} s wall)");
        }

        var generatorCpu = Median(generator.Select(time => time.Cpu));
        var floorCpu = Median(floor.Select(time => time.Cpu));
        var generatorWall = Median(generator.Select(time => time.Wall));
        var floorWall = Median(floor.Select(time => time.Wall));
        Console.WriteLine(
            $"generator first run, medians of {runs}: {generatorCpu:F3} s CPU against the floor's {floorCpu:F3} s = " +
            $"{generatorCpu / floorCpu:F2}x (wall {generatorWall:F3} s against {floorWall:F3} s = {generatorWall / floorWall:F2}x)");
        return 0;
    }

    private static (double Cpu, double Wall) Time(Func<int> operation)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        operation();
        wall.Stop();
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalSeconds, wall.Elapsed.TotalSeconds);
    }

    /// <summary>The median of <paramref name="values"/> (shared with <see cref="IdeLatencyCommand"/>).</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(value => value).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
