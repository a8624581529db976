namespace MmuGuard.Generators;

/// <summary>The names of the generator's pipeline steps, which the cacheability tests look up in the driver's run result.</summary>
internal static class TrackingNames
{
    /// <summary>Owners read from fields marked <c>[OutOfBandMapping]</c> (null unless the field is the owner's first).</summary>
    public const string OutOfBandOwners = "OutOfBandOwners";

    /// <summary>Owners read from fields marked <c>[NotifierCoveredMapping]</c> (null unless the field is the owner's first).</summary>
    public const string CoveredOwners = "CoveredOwners";

    /// <summary>The owners the generator serves, one per type, from both attribute pipelines.</summary>
    public const string ServedOwners = "ServedOwners";
}
