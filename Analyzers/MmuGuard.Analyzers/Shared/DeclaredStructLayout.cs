using Microsoft.CodeAnalysis;

namespace MmuGuard.Shared;

/// <summary>
/// The <c>[StructLayout]</c> a struct owner declares. The generated state fields need a layout that leaves field
/// order to the runtime (CS0282 otherwise): the generator adds <c>LayoutKind.Auto</c> to an owner that declares none
/// and cannot serve one that fixes field order. Compiled into both the generator and the analyzers (linked source),
/// so MMU0014 reports exactly the layouts the generator refuses.
/// </summary>
internal static class DeclaredStructLayout
{
    /// <summary>Whether <paramref name="type"/> carries a <c>StructLayoutAttribute</c> at all.</summary>
    public static bool IsDeclared(INamedTypeSymbol type) => LayoutAttributeOf(type) is not null;

    /// <summary>
    /// Whether <paramref name="type"/> is a struct whose declared layout is anything but <c>LayoutKind.Auto</c>
    /// (<c>Sequential</c>, <c>Explicit</c>, or a raw value).
    /// </summary>
    public static bool FixesFieldOrder(INamedTypeSymbol type) =>
        LayoutAttributeOf(type) is { } attribute
        && !(attribute.ConstructorArguments.Length == 1
            && attribute.ConstructorArguments[0].Value is (int)System.Runtime.InteropServices.LayoutKind.Auto);

    private static AttributeData? LayoutAttributeOf(INamedTypeSymbol type)
    {
        if (!type.IsValueType)
        {
            return null;
        }

        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "StructLayoutAttribute" } layoutAttribute
                && layoutAttribute.ToDisplayString() == "System.Runtime.InteropServices.StructLayoutAttribute")
            {
                return attribute;
            }
        }

        return null;
    }
}
