namespace MmuGuard.Sanitizer;

/// <summary>What the sanitizer does when it sees a bug.</summary>
public enum SanitizerMode
{
    /// <summary>Record the finding and carry on, so a run can show every bug it hits.</summary>
    Record,

    /// <summary>Record the finding and throw <see cref="SanitizerException"/> at the faulting operation.</summary>
    Throw,
}
