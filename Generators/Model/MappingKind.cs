namespace MmuGuard.Generators.Model;

/// <summary>How a mapping member is kept safe: by a pin, or by MMU-notifier invalidation.</summary>
internal enum MappingKind
{
    /// <summary>An out-of-band mapping that holds a pin for its whole life (<c>kvm_vcpu_map</c>).</summary>
    Pinned,

    /// <summary>A mapping a notifier hook invalidates, holding no pin (<c>gfn_to_pfn_cache</c>).</summary>
    NotifierCovered,
}
