using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = MmuGuard.Analyzers.Tests.Contracts.ContractsFileTest;

namespace MmuGuard.Analyzers.Tests.Contracts;

/// <summary>MMU0018–MMU0021: a contracts-file line that attaches nothing, or contradicts, is reported on its own span of the file.</summary>
public sealed class ContractsFileDiagnosticsTests
{
    private const string Empty = "class Sim { }";

    [Fact]
    public Task Id_without_a_contract_is_MMU0018_on_the_id() =>
        VerifyLine("M:Vendor.Mm.PageTable.Walk(System.UInt64)   # follow_pte", "MMU0018", "M:Vendor.Mm.PageTable.Walk(System.UInt64)");

    [Fact]
    public Task Name_without_a_documentation_id_prefix_is_MMU0018_on_the_name() =>
        VerifyLine("Vendor.Mm.PageTable.Walk  return: Borrowed", "MMU0018", "Vendor.Mm.PageTable.Walk");

    [Fact]
    public Task Unknown_target_is_MMU0018_on_everything_after_the_id() =>
        VerifyLine("M:Vendor.Mm.Frames.Get(Vendor.Mm.Pfn)  arg pfn: AcquiresPin  # typo", "MMU0018", "arg pfn: AcquiresPin");

    [Fact]
    public Task Trailing_comma_is_MMU0018_on_the_empty_word() =>
        VerifyLine("M:Vendor.Mm.PageTable.GetUserPage(System.UInt64)  return: Pinned,", "MMU0018", ",", after: 1);

    [Fact]
    public Task Type_level_line_is_MMU0018_because_contracts_attach_to_members() =>
        VerifyLine("T:Vendor.Mm.Pfn  tracked", "MMU0018", "T:Vendor.Mm.Pfn  tracked");

    [Fact]
    public Task Id_with_a_csharp_keyword_type_is_MMU0019_on_the_id() =>
        VerifyLine("M:Vendor.Mm.PageTable.Walk(ulong)  return: Borrowed", "MMU0019", "M:Vendor.Mm.PageTable.Walk(ulong)");

    [Fact]
    public Task Parameter_name_the_member_lacks_is_MMU0019_on_the_target() =>
        VerifyLine("M:Vendor.Mm.Frames.Put(Vendor.Mm.Pfn)  param frame: ReleasesPin", "MMU0019", "param frame:");

    [Fact]
    public Task Return_contract_on_a_property_is_MMU0019_on_the_target() =>
        VerifyLine("P:Vendor.Mm.Pfn.Value  return: Pinned", "MMU0019", "return:");

    [Fact]
    public Task Unknown_word_is_MMU0020_on_the_word() =>
        VerifyLine("M:Vendor.Mm.Frames.Get(Vendor.Mm.Pfn)  param pfn: Acquires", "MMU0020", "Acquires");

    [Fact]
    public Task Receiver_word_on_a_return_value_is_MMU0020_on_the_word() =>
        VerifyLine("M:Vendor.Mm.PageTable.Walk(System.UInt64)  return: Borrowed, AcquiresPin", "MMU0020", "AcquiresPin");

    [Fact]
    public Task Second_line_contradicting_the_first_is_MMU0021_on_its_words() =>
        Verify.VerifyAsync(
            Empty,
            """
            M:Vendor.Mm.PageTable.Walk(System.UInt64)  return: Borrowed
            M:Vendor.Mm.PageTable.Walk(System.UInt64)  return: Pinned
            """,
            Verify.OnFileLine("MMU0021", 2, 52, 58));

    [Fact]
    public Task Contradicting_line_is_not_attached_so_the_earlier_contract_stands() =>
        Verify.VerifyAsync(
            """
            using Vendor.Mm;
            class Fault
            {
                Pfn Resolve(PageTable table, ulong hva) => table.Walk(hva);   // borrowed: nothing to release
            }
            """,
            """
            M:Vendor.Mm.PageTable.Walk(System.UInt64)  return: Borrowed
            M:Vendor.Mm.PageTable.Walk(System.UInt64)  return: Pinned
            """,
            Verify.OnFileLine("MMU0021", 2, 52, 58));

    [Fact]
    public Task Line_contradicting_the_members_own_attribute_is_MMU0021()
    {
        const string Line = "M:Sim.Pin(Vendor.Mm.Pfn)  param pfn: ReleasesPin";
        var test = new ContractsFileTest(Line);
        foreach (var (name, text) in AttributeSources.All)
        {
            test.TestState.Sources.Add((name, text));
        }

        test.TestState.Sources.Add("""
            using MmuGuard;
            class Sim
            {
                public void Pin([AcquiresPin] Vendor.Mm.Pfn pfn) { }
            }
            """);
        test.TestState.Sources.Add(VendorMm.Source);
        test.ExpectedDiagnostics.Add(OnPart(Line, "ReleasesPin", "MMU0021"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Comments_and_blank_lines_are_read_without_diagnostics() =>
        Verify.VerifyAsync(
            Empty,
            """
            # a comment line

              # an indented comment
            M:Vendor.Mm.PageTable.GetUserPage(System.UInt64)  return: Pinned   # a trailing comment
            """);

    [Fact]
    public Task Hash_inside_a_constructor_id_is_part_of_the_id_not_a_comment() =>
        Verify.VerifyAsync(
            Empty,
            "M:Vendor.Mm.Pfn.#ctor(System.UInt64)  param value: Borrowed",
            // The constructor stores its now-borrowed parameter into an ordinary property: the contract was attached.
            new DiagnosticResult("MMU0009", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
                .WithSpan("/0/Test1.cs", 5, 43, 5, 48).WithArguments("value", "Value"));

    [Theory]
    [InlineData("M:(")]
    [InlineData("M:Vendor.Mm.PageTable.Walk(")]
    [InlineData("F:Vendor..Mm")]
    [InlineData("P:[]")]
    [InlineData("M:Vendor.Mm.PageTable.Walk``1(``0)")]
    public Task Garbage_id_is_MMU0019_not_an_analyzer_crash(string id) =>
        VerifyLine(id + "  return: Pinned", "MMU0019", id);

    /// <summary>Verifies that <paramref name="line"/>, as the file's only line, is reported on <paramref name="part"/>.</summary>
    private static Task VerifyLine(string line, string id, string part, int after = 0) =>
        Verify.VerifyAsync(Empty, line, OnPart(line, part, id, after));

    /// <summary>The diagnostic on the first occurrence of <paramref name="part"/> in line 1, moved <paramref name="after"/> characters right (an empty span).</summary>
    private static DiagnosticResult OnPart(string line, string part, string id, int after = 0)
    {
        var start = line.IndexOf(part, System.StringComparison.Ordinal) + 1;
        return after == 0
            ? Verify.OnFileLine(id, 1, start, start + part.Length)
            : Verify.OnFileLine(id, 1, start + after, start + after);
    }
}
