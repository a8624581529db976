namespace MmuGuard.Sanitizer;

/// <summary>How much a finding matters: a bug, a risk the configuration accepted on purpose, or a note.</summary>
public enum FindingSeverity
{
    /// <summary>An ownership bug: the run did something the kernel must never do.</summary>
    Bug,

    /// <summary>
    /// Unsafe but trusted by configuration (KVM's <c>allow_unsafe_mappings</c>): correct only while userspace keeps
    /// its promise, and reported so a run shows where it relies on that trust.
    /// </summary>
    TrustedUnsafe,

    /// <summary>Legal but suspicious in a sim (e.g. a double <c>munmap</c>).</summary>
    Note,
}
