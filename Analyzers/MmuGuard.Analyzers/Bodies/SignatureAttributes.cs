using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MmuGuard.Analyzers.Bodies;

/// <summary>
/// The attributes a declaration's signature carries, read from syntax: on the declaration itself, its parameters and
/// its accessors. Shared by the body pre-filter (any attribute at all) and MMU0010's gate (an attribute by name).
/// </summary>
internal static class SignatureAttributes
{
    public static bool Any(SyntaxList<AttributeListSyntax> lists, Func<AttributeSyntax, bool> matches)
    {
        foreach (var list in lists)
        {
            foreach (var attribute in list.Attributes)
            {
                if (matches(attribute))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static bool Any(BaseParameterListSyntax parameters, Func<AttributeSyntax, bool> matches)
    {
        foreach (var parameter in parameters.Parameters)
        {
            if (Any(parameter.AttributeLists, matches))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Any(AccessorListSyntax? accessors, Func<AttributeSyntax, bool> matches)
    {
        if (accessors is null)
        {
            return false;
        }

        foreach (var accessor in accessors.Accessors)
        {
            if (Any(accessor.AttributeLists, matches))
            {
                return true;
            }
        }

        return false;
    }
}
