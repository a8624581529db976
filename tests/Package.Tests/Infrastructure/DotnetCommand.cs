using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>
/// Runs the <c>dotnet</c> CLI as a child process with a timeout, an English, logo-free, node-reuse-free environment
/// and, for consumers, a private NuGet cache, and captures what it prints.
/// </summary>
public static class DotnetCommand
{
    /// <summary>
    /// Generous for a cold restore and build on a shared two-core machine (a cold Release pack of the four projects took
    /// over 6 minutes there under load); a hang still fails the test.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

    public static CommandResult Run(string workingDirectory, string? nugetPackages, params string[] arguments) =>
        Run(workingDirectory, nugetPackages, DefaultTimeout, arguments);

    public static CommandResult Run(string workingDirectory, string? nugetPackages, TimeSpan timeout, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        ConfigureEnvironment(startInfo.Environment, nugetPackages);

        var commandLine = "dotnet " + string.Join(' ', arguments);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new CommandFailedException(
                $"`{commandLine}` in {workingDirectory} did not finish within {timeout.TotalSeconds:0} s; output so far:\n{Snapshot(output)}");
        }

        // The parameterless wait drains the asynchronous output readers.
        process.WaitForExit();
        return new CommandResult(commandLine, process.ExitCode, Snapshot(output));
    }

    private static void ConfigureEnvironment(IDictionary<string, string?> environment, string? nugetPackages)
    {
        // The test host runs under MSBuild ('dotnet test'); its MSBuild variables would point the child build at the
        // parent's SDK resolver state and in-proc node settings.
        foreach (var name in new List<string>(environment.Keys))
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.Equals("MSBuildExtensionsPath", StringComparison.OrdinalIgnoreCase)
                || name.Equals("MSBuildSDKsPath", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(name);
            }
        }

        if (nugetPackages is not null)
        {
            environment["NUGET_PACKAGES"] = nugetPackages;
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        environment["UseSharedCompilation"] = "false";

        // The vulnerability audit fetches advisory data from nuget.org on every restore (NU1900, an error under
        // warnings-as-errors, when it cannot). These restores check MmuGuard, not advisories, and must work offline
        // once 'dotnet restore' has filled the cache; the repository's own restore still audits.
        environment["NuGetAudit"] = "false";
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
