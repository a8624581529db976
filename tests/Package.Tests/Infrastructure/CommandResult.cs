namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>What a finished <c>dotnet</c> command left behind: its exit code and everything it printed.</summary>
/// <param name="CommandLine">The command as run, for failure messages.</param>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Output">Standard output and standard error, interleaved in arrival order.</param>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    /// <summary>A readable account of the command for an assertion message.</summary>
    public string Describe() => $"`{CommandLine}` exited with {ExitCode}; output:\n{Output}";

    /// <summary>Throws, showing the whole output, unless the command succeeded.</summary>
    public CommandResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new CommandFailedException(Describe());
        }

        return this;
    }
}
