namespace MmuGuard.Samples.NestedVirt.Story;

/// <summary>One row of the closing summary: what a mapping was, what backed it, and how it ended.</summary>
/// <param name="Mapping">The mapping's name (a stage-2 entry, a vmcs02 field, a PFN cache).</param>
/// <param name="Kind">How it is kept safe: by MMU-notifier coverage or by a pin.</param>
/// <param name="Frames">The guest frame and the host frame it resolved to.</param>
/// <param name="Pin">Whether it held a pin.</param>
/// <param name="Outcome">How it ended.</param>
internal sealed record MappingOutcome(string Mapping, string Kind, string Frames, string Pin, string Outcome);
