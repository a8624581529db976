using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using MmuGuard.Analyzers.Tests.Realistic.Suite;
using Xunit;

namespace MmuGuard.Analyzers.Tests.Realistic;

/// <summary>
/// Issue 9, item 6: x86's fault chain as the kernel writes it (arch/x86/kvm/mmu/mmu.c, v6.13):
/// <c>kvm_tdp_mmu_page_fault()</c> calls <c>kvm_mmu_faultin_pfn()</c>, which snapshots <c>fault->mmu_seq</c> and
/// resolves <c>fault->pfn</c>; under <c>mmu_lock</c> it asks <c>is_page_fault_stale()</c> and only then calls
/// <c>kvm_tdp_mmu_map(vcpu, fault)</c>, which installs <c>fault->pfn</c>. The three functions are judged each alone,
/// and the caller still sees the discipline through the <c>[OperationContext]</c>: each test breaks one link of the
/// real port (Cases/x86_mmu/kvm_tdp_mmu_page_fault.v6.13.fixed) and expects exactly that finding.
/// </summary>
public sealed class FaultContextChainTests
{
    private const string Install = "        r = KvmTdpMmuMap(vcpu, fault);\n";

    private static string Port => File.ReadAllText(Path.Combine(RealisticSuite.Root, "Cases", "x86_mmu", "kvm_tdp_mmu_page_fault.v6.13.fixed.cs.txt"));

    [Fact]
    public async Task The_chain_as_the_kernel_writes_it_is_clean() =>
        Assert.Empty(await FindingsAsync(Port));

    [Fact]
    public async Task An_install_without_is_page_fault_stale_is_reported_at_the_context_argument()
    {
        var findings = await FindingsAsync(Variant(
            ("        if (IsPageFaultStale(vcpu, fault))\n        {\n            goto OutUnlock;\n        }\n", string.Empty)));

        var finding = Assert.Single(findings);
        Assert.Equal("MMU0004", finding.Id);
        Assert.Equal("fault", Text(finding));
        Assert.Contains("'fault.Pfn'", finding.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("without an invalidation retry check", finding.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_install_on_the_stale_edge_is_reported()
    {
        var findings = await FindingsAsync(Variant(
            ("        if (IsPageFaultStale(vcpu, fault))\n        {\n            goto OutUnlock;\n        }\n\n" + Install,
             "        if (IsPageFaultStale(vcpu, fault))\n        {\n            r = KvmTdpMmuMap(vcpu, fault);\n        }\n")));

        Assert.Equal("MMU0004", Assert.Single(findings).Id);
        Assert.Contains("asked for a retry", findings[0].GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resolve_without_the_snapshot_is_reported()
    {
        var findings = await FindingsAsync(Variant(
            ("    [SnapshotsInvalidationSequence]\n    static int KvmMmuFaultinPfn", "    static int KvmMmuFaultinPfn")));

        Assert.Equal("MMU0004", Assert.Single(findings).Id);
        Assert.Contains("without an invalidation-sequence snapshot", findings[0].GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_made_before_mmu_lock_is_taken_is_reported()
    {
        var findings = await FindingsAsync(Variant(
            ("        r = RetPf.Retry;\n        vcpu.Kvm.MmuLock.ReadLock();\n\n        if (IsPageFaultStale(vcpu, fault))\n        {\n            goto OutUnlock;\n        }\n",
             "        r = RetPf.Retry;\n        if (IsPageFaultStale(vcpu, fault))\n        {\n            return KvmMmuFinishPageFault(vcpu, fault, r);\n        }\n\n        vcpu.Kvm.MmuLock.ReadLock();\n")));

        Assert.Equal("MMU0004", Assert.Single(findings).Id);
        Assert.Contains("outside a critical section", findings[0].GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_handed_the_context_between_check_and_install_counts_as_a_new_resolve()
    {
        var findings = await FindingsAsync(Variant(
            (Install, "        FastPageFault(vcpu, fault);\n" + Install)));

        Assert.Equal("MMU0004", Assert.Single(findings).Id);
    }

    [Fact]
    public async Task A_call_taking_the_context_as_in_reads_it_and_resolves_nothing()
    {
        var findings = await FindingsAsync(Variant(
            ("    static bool IsObsoleteRoot(KvmVcpu vcpu) => false;\n", "    static bool IsObsoleteRoot(KvmVcpu vcpu) => false;\n\n    static void Trace(in KvmPageFault fault) { }\n"),
            (Install, "        Trace(fault);\n" + Install)));

        Assert.Empty(findings);
    }

    [Fact]
    public async Task Without_the_sink_on_kvm_tdp_mmu_map_the_caller_sees_no_install()
    {
        // The annotation is what makes the chain checkable: unannotated, the missing check goes unseen.
        var findings = await FindingsAsync(Variant(
            ("[NotifierCoveredSink] KvmPageFault fault", "KvmPageFault fault"),
            ("        if (IsPageFaultStale(vcpu, fault))\n        {\n            goto OutUnlock;\n        }\n", string.Empty)));

        Assert.Empty(findings);
    }

    private static string Variant(params (string From, string To)[] edits)
    {
        var source = Port;
        foreach (var (from, to) in edits)
        {
            Assert.Contains(from, source, StringComparison.Ordinal);
            source = source.Replace(from, to, StringComparison.Ordinal);
        }

        return source;
    }

    private static string Text(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    private static async Task<IReadOnlyList<Diagnostic>> FindingsAsync(string port)
    {
        var api = RealisticSuite.LoadCases().Where(c => c.Kind == CaseKind.Api).Select(c => (c.Name + ".cs", c.Source));
        var compilation = RealisticSuite.Compile(api.Append(("port.cs", port)));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var (diagnostics, exceptions) = await RealisticSuite.AnalyzeAsync(compilation);
        Assert.Empty(exceptions);
        return diagnostics;
    }
}
