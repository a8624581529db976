using System;

namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>A spawned command failed or timed out; the message carries its whole output.</summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException(string message)
        : base(message)
    {
    }
}
