using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MmuGuard.Generators.Tests.Inputs;
using MmuGuard.Guest;
using MmuGuard.Mapping;
using MmuGuard.Physical;
using MmuGuard.Shared;

namespace MmuGuard.Generators.Tests.Infrastructure;

/// <summary>
/// One instance of a compiled representative owner, driven through its generated members by name (the tests are
/// written once for every input, whose member names differ). A struct owner is held boxed, so calls mutate one value.
/// </summary>
internal sealed class OwnerHandle
{
    /// <summary>The call site the tests pass explicitly, so ledger entries can be checked exactly.</summary>
    public const string CallerMember = "EnterNested";
    public const string CallerFile = "/sim/Nested/Vmx.cs";
    public const int CallerLine = 417;

    private readonly object _instance;

    private OwnerHandle(object instance)
    {
        _instance = instance;
    }

    public Type Type => _instance.GetType();

    public static OwnerHandle Create(GeneratorInput input) =>
        new(Activator.CreateInstance(GeneratedAssemblies.OwnerTypeOf(input), nonPublic: true)!);

    /// <summary>A second handle on a copy of a struct owner (the same object for a class owner).</summary>
    public OwnerHandle Copy() => new(RuntimeHelpers.GetObjectValue(_instance)!);

    public MapResult Map(string stem, IPinnedPageSource source, Gfn gfn) =>
        Call<MapResult>(MappingNames.Map(stem), source, gfn, CallerMember, CallerFile, CallerLine);

    public bool Unmap(string stem) => Call<bool>(MappingNames.Unmap(stem));

    public bool IsMapped(string stem) => Get<bool>(MappingNames.IsMapped(stem));

    public Pfn PfnOf(string stem) => Get<Pfn>(MappingNames.PfnProperty(stem));

    public MapResult Refresh(string stem, ICoveredPageSource source, Gfn gfn) =>
        Call<MapResult>(MappingNames.Refresh(stem), source, gfn);

    public bool Invalidate(string stem) => Call<bool>(MappingNames.Invalidate(stem));

    public bool IsValid(string stem) => Get<bool>(MappingNames.IsValid(stem));

    public bool TryGet(string stem, out Pfn pfn)
    {
        var arguments = new object?[] { null };
        var found = Call<bool>(MappingNames.TryGet(stem), arguments);
        pfn = (Pfn)arguments[0]!;
        return found;
    }

    public PinLedger PinLedger => Get<PinLedger>(MappingNames.PinLedger);

    public int UnmapAll() => Call<int>(MappingNames.UnmapAll);

    public int Teardown(string? operation = null) => Call<int>(MappingNames.Teardown, operation);

    public void Dispose() => ((IDisposable)_instance).Dispose();

    public INotifierCoveredMappingOwner AsCoveredOwner() => (INotifierCoveredMappingOwner)_instance;

    private T Get<T>(string property) =>
        Unwrap<T>(() => ((PropertyInfo)Member(property, MemberTypes.Property)).GetValue(_instance));

    private T Call<T>(string method, params object?[] arguments) =>
        Unwrap<T>(() => ((MethodInfo)Member(method, MemberTypes.Method)).Invoke(_instance, arguments));

    private MemberInfo Member(string name, MemberTypes kind)
    {
        var members = Type.GetMember(name, kind, BindingFlags.Public | BindingFlags.Instance);
        return members.Length == 1
            ? members[0]
            : throw new MissingMemberException($"{Type.FullName} has no single public {kind} named {name}.");
    }

    /// <summary>Rethrows what the generated member threw, not the reflection wrapper around it.</summary>
    private static T Unwrap<T>(Func<object?> invoke)
    {
        try
        {
            return (T)invoke()!;
        }
        catch (TargetInvocationException wrapper) when (wrapper.InnerException is { } thrown)
        {
            ExceptionDispatchInfo.Capture(thrown).Throw();
            throw;
        }
    }
}
