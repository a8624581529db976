using System;

namespace MmuGuard.Sanitizer;

/// <summary>Thrown at the faulting operation by a sanitizer in <see cref="SanitizerMode.Throw"/> mode.</summary>
public sealed class SanitizerException : Exception
{
    /// <summary>Creates the exception for <paramref name="finding"/>.</summary>
    public SanitizerException(Finding finding)
        : base(finding.ToString())
    {
        Finding = finding;
    }

    /// <summary>The finding that stopped the run.</summary>
    public Finding Finding { get; }
}
