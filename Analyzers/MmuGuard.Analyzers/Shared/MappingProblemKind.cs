namespace MmuGuard.Shared;

/// <summary>What is wrong with a mapping owner; each kind is one analyzer rule.</summary>
internal enum MappingProblemKind
{
    /// <summary>A declaration of the owner is not partial (MMU0011). Arguments: the type name.</summary>
    TypeNotPartial,

    /// <summary>A marked field cannot hold a generated mapping (MMU0012). Arguments: the field name, the reason.</summary>
    FieldUnusable,

    /// <summary>A marked field's attributes contradict each other (MMU0013). Arguments: the field name, both attributes.</summary>
    ConflictingAttributes,

    /// <summary>The owner's shape cannot get a generated part (MMU0014). Arguments: the type name, the reason.</summary>
    UnsupportedOwner,

    /// <summary>A generated name is already taken (MMU0015). Arguments: the name, whose it is, what takes it.</summary>
    NameCollision,
}
