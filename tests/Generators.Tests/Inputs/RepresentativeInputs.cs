using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace MmuGuard.Generators.Tests.Inputs;

/// <summary>
/// The representative owners every snapshot, compile and execution test runs over: the shapes a downstream sim
/// writes (a vmcs02 page set, a mapped control block, a PFN cache, nested and split partial types, a struct).
/// </summary>
internal static class RepresentativeInputs
{
    public static readonly GeneratorInput SinglePinnedMember = new(
        nameof(SinglePinnedMember),
        "Sim.Vmcb12Map",
        new[] { "Vmcb12" },
        Array.Empty<string>(),
        false,
        """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Sim
        {
            /// <summary>A mapped vmcb12 (kvm_vcpu_map of the L1-provided control block).</summary>
            public partial class Vmcb12Map
            {
                [OutOfBandMapping] private Pfn _vmcb12;
            }
        }
        """);

    public static readonly GeneratorInput Vmcs02Pages = new(
        nameof(Vmcs02Pages),
        "Sim.Nested.Vmcs02Pages",
        new[] { "ApicAccessPage", "VirtualApicPage", "PostedInterruptDescriptor" },
        Array.Empty<string>(),
        true,
        """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Sim.Nested;

        /// <summary>The host pages L0 writes into vmcs02 for L2.</summary>
        [MappingBookkeeping(Disposable = true)]
        public sealed partial class Vmcs02Pages
        {
            [OutOfBandMapping] private Pfn _apicAccessPage;
            [OutOfBandMapping] private Pfn _virtualApicPage;
            [OutOfBandMapping] private Pfn _postedInterruptDescriptor;

            public int Exits { get; private set; }

            public void CountExit() => Exits++;
        }
        """);

    public static readonly GeneratorInput PfnCache = new(
        nameof(PfnCache),
        "Sim.Caches.StealTimeCache",
        Array.Empty<string>(),
        new[] { "StealTime" },
        false,
        """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Sim.Caches;

        /// <summary>A gfn_to_pfn_cache for the guest's steal-time record: invalidated by the notifier, never pinned.</summary>
        internal partial class StealTimeCache
        {
            [NotifierCoveredMapping] private Pfn _stealTime;
        }
        """);

    public static readonly GeneratorInput PinnedAndCovered = new(
        nameof(PinnedAndCovered),
        "Sim.VcpuMappings",
        new[] { "Vmcs12", "ShadowVmcs12" },
        new[] { "Vmcb12Cache", "XenShinfo" },
        true,
        """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Sim;

        [MappingBookkeeping(Disposable = true)]
        public partial class VcpuMappings
        {
            [OutOfBandMapping] private Pfn _vmcs12;
            [NotifierCoveredMapping] private Pfn _vmcb12Cache;
            [OutOfBandMapping] private Pfn _shadowVmcs12;
            [NotifierCoveredMapping] private Pfn m_xenShinfo;
        }
        """);

    public static readonly GeneratorInput StructInGlobalNamespace = new(
        nameof(StructInGlobalNamespace),
        "MappedControlBlock",
        new[] { "ControlBlock" },
        Array.Empty<string>(),
        false,
        """
        using MmuGuard;
        using MmuGuard.Physical;

        /// <summary>A mapped control block kept by value inside a vCPU.</summary>
        public partial struct MappedControlBlock
        {
            [OutOfBandMapping] public Pfn ControlBlock_;
        }
        """);

    public static readonly GeneratorInput NestedPartialTypes = new(
        nameof(NestedPartialTypes),
        "Sim.Kvm.Vcpu+Nested+State",
        new[] { "Vmcs12Page" },
        new[] { "MsrBitmap" },
        false,
        """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Sim.Kvm
        {
            public static partial class Vcpu
            {
                internal partial struct Nested
                {
                    public sealed partial class State
                    {
                        [OutOfBandMapping] private Pfn vmcs12Page;
                        [NotifierCoveredMapping] private Pfn msrBitmap;
                    }
                }
            }
        }
        """);

    public static readonly GeneratorInput NestedInRecord = new(
        nameof(NestedInRecord),
        "Sim.VmConfig+Mappings",
        new[] { "Pml", "Eptp" },
        Array.Empty<string>(),
        true,
        """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Sim;

        public partial record VmConfig(int VcpuCount)
        {
            [MappingBookkeeping(Disposable = true)]
            public partial class Mappings
            {
                [OutOfBandMapping] private Pfn _pml, _eptp;
            }
        }
        """);

    public static readonly GeneratorInput SplitAcrossFiles = new(
        nameof(SplitAcrossFiles),
        "Sim.Split.Vmcs02",
        new[] { "ApicAccess", "PiDesc" },
        new[] { "GuestTime" },
        true,
        """
        using MmuGuard;

        namespace Sim.Split;

        [MappingBookkeeping(Disposable = true)]
        public partial class Vmcs02
        {
            public override string ToString() => "vmcs02";
        }
        """,
        """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Sim.Split;

        public partial class Vmcs02
        {
            [NotifierCoveredMapping] private Pfn _guestTime;
            [OutOfBandMapping] private Pfn _apicAccess;
        }
        """,
        """
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Sim.Split;

        public partial class Vmcs02
        {
            [OutOfBandMapping] private Pfn _piDesc;
        }
        """);

    public static IReadOnlyList<GeneratorInput> All { get; } = new[]
    {
        SinglePinnedMember, Vmcs02Pages, PfnCache, PinnedAndCovered, StructInGlobalNamespace, NestedPartialTypes,
        NestedInRecord, SplitAcrossFiles,
    };

    public static TheoryData<string> Names => new(All.Select(input => input.Name));

    public static TheoryData<string> WithPinnedMembers => new(All.Where(i => i.PinnedStems.Count > 0).Select(i => i.Name));

    public static TheoryData<string> WithCoveredMembers => new(All.Where(i => i.CoveredStems.Count > 0).Select(i => i.Name));

    public static TheoryData<string> DisposableOwners => new(All.Where(i => i.Disposable).Select(i => i.Name));

    public static GeneratorInput Named(string name) => All.Single(input => input.Name == name);
}
