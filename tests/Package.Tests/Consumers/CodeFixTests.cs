using MmuGuard.Package.Tests.Infrastructure;
using Xunit;

namespace MmuGuard.Package.Tests.Consumers;

/// <summary>The packed code fixes run under <c>dotnet format</c> in a consumer, as in an IDE.</summary>
[Collection(PackageCollection.Name)]
public sealed class CodeFixTests
{
    private readonly PackageFixture _fixture;

    public CodeFixTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Dotnet_format_applies_the_MMU0002_fix_and_the_rebuilt_project_no_longer_reports_it()
    {
        var consumer = _fixture.CreateConsumer("codefix-mmu0002")
            .WriteFile("Program.cs", ConsumerSources.EmptyProgram)
            .WriteFile("FaultPath.cs", ConsumerSources.UnconditionalPin);
        var before = consumer.Build();
        Assert.Contains(": warning MMU0002:", before.Output);

        var format = consumer.Format("analyzers", "--diagnostics", "MMU0002", "--severity", "info");
        var after = consumer.Build();

        Assert.True(format.ExitCode == 0, format.Describe());
        Assert.NotEqual(ConsumerSources.UnconditionalPin, consumer.ReadFile("FaultPath.cs"));
        Assert.True(after.ExitCode == 0, after.Describe());
        Assert.False(
            after.Output.Contains(": warning MMU0002:", System.StringComparison.Ordinal),
            "MMU0002 is still reported after 'dotnet format analyzers --diagnostics MMU0002'; is there a code fix for it in the package?\n"
            + format.Describe() + "\n" + consumer.ReadFile("FaultPath.cs") + "\n" + after.Describe());
    }

    /// <summary>One leak, one unconditional pin and one undisciplined install, the leak first in the file.</summary>
    private const string ThreeRules = """
        using MmuGuard.Guest;
        using MmuGuard.Host;
        using MmuGuard.Physical;

        namespace Consumer;

        internal sealed class Faults
        {
            private readonly PhysicalMemory _memory;

            public Faults(PhysicalMemory memory)
            {
                _memory = memory;
            }

            public bool Copy(AddressSpace mm, HostVirtualAddress hva, bool ram)
            {
                var pfn = mm.GetUserPages(hva);
                if (!ram)
                {
                    return false; // expect: MMU0005
                }

                _memory.Unpin(pfn);
                return true;
            }

            public static void PinBacking(AddressSpace mm, HostVirtualAddress hva)
            {
                var pfn = mm.FollowPte(hva);
                mm.Memory.Pin(pfn); // expect: MMU0002
                mm.Memory.MarkDirty(pfn);
                mm.Memory.Unpin(pfn);
            }

            public static void Fault(AddressSpace mm, Vm vm, Gfn gfn, HostVirtualAddress hva)
            {
                var pfn = mm.FollowPte(hva);
                vm.Stage2.Install(gfn, pfn); // expect: MMU0004
            }
        }
        """;

    [Fact]
    public void Dotnet_format_fixes_MMU0002_MMU0004_and_MMU0005_in_one_run()
    {
        var consumer = _fixture.CreateConsumer("codefix-three-ids")
            .WriteFile("Program.cs", ConsumerSources.EmptyProgram)
            .WriteFile("Faults.cs", ThreeRules);
        var before = consumer.Build();
        foreach (var id in new[] { "MMU0002", "MMU0004", "MMU0005" })
        {
            Assert.Contains(": warning " + id + ":", before.Output, System.StringComparison.Ordinal);
        }

        var format = consumer.Format("analyzers", "--diagnostics", "MMU0002", "MMU0004", "MMU0005", "--severity", "info");
        var after = consumer.Build();

        Assert.True(format.ExitCode == 0, format.Describe());
        Assert.DoesNotContain("didn't return a Fix All action", format.Output, System.StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, after.Describe());
        foreach (var id in new[] { "MMU0002", "MMU0004", "MMU0005" })
        {
            Assert.False(
                after.Output.Contains(": warning " + id + ":", System.StringComparison.Ordinal),
                id + " is still reported after one 'dotnet format analyzers --diagnostics MMU0002 MMU0004 MMU0005' run\n"
                + format.Describe() + "\n" + consumer.ReadFile("Faults.cs") + "\n" + after.Describe());
        }
    }
}
