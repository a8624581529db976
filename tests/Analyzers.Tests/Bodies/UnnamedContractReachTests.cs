using System.Threading.Tasks;
using MmuGuard.Analyzers.Rules.Inference;
using MmuGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Leak = MmuGuard.Analyzers.Tests.Infrastructure.RuleVerifier<MmuGuard.Analyzers.Rules.PinLeakRule>;

namespace MmuGuard.Analyzers.Tests.Bodies;

/// <summary>
/// Bodies that reach a contract without naming the contracted member (docs/design/bodies.md): the syntax pre-filter
/// must still admit them, so each still gets its diagnostic.
/// </summary>
public sealed class UnnamedContractReachTests
{
    [Fact]
    public Task Target_typed_new_of_a_pinning_constructor_is_analysed() =>
        Leak.VerifyInSimAsync("""
            using MmuGuard;

            class PinGuard
            {
                public PinGuard([AcquiresPin] Pfn pfn) { }
            }

            class Fault
            {
                private PinGuard _guard = null!;

                void Resolve(Pfn pfn)
                {
                    _guard = new(pfn);
                {|MMU0005:}|}
            }
            """);

    [Fact]
    public Task Constructor_initializer_that_pins_is_analysed() =>
        Leak.VerifyInSimAsync("""
            using MmuGuard;

            class PinGuard
            {
                public PinGuard([AcquiresPin] Pfn pfn, bool held) { }

                public PinGuard(Pfn pfn)
                    : this(pfn, true)
                {
                {|MMU0005:}|}
            }
            """);

    [Fact]
    public Task Local_function_with_a_pinning_parameter_is_analysed() =>
        Leak.VerifyInSimAsync("""
            using MmuGuard;

            class Fault
            {
                void Resolve(Pfn pfn)
                {
                    Take(pfn);

                    static void Take([AcquiresPin] Pfn page) { }
                {|MMU0005:}|}
            }
            """);

    [Fact]
    public Task Collection_initializer_whose_add_pins_is_analysed() =>
        Leak.VerifyInSimAsync("""
            using MmuGuard;

            class PinSet : System.Collections.IEnumerable
            {
                public void Add([AcquiresPin] Pfn pfn) { }

                public System.Collections.IEnumerator GetEnumerator() => null!;
            }

            class Fault
            {
                object Resolve(Pfn pfn)
                {
                    var set = new PinSet { pfn };
                    {|MMU0005:return|} set;
                }
            }
            """);

    [Fact]
    public Task Field_initializer_lambda_that_pins_is_analysed() =>
        Leak.VerifyInSimAsync("""
            using MmuGuard;

            class Fault
            {
                private static readonly System.Action<PageRefs, Pfn> Grab = (refs, pfn) =>
                {
                    refs.Pin(pfn);
                {|MMU0005:}|};
            }
            """);

    [Fact]
    public Task Using_of_a_page_whose_dispose_releases_is_read_by_the_inference() =>
        Verifier<ParameterContractInferenceAnalyzer>.VerifyInSimAsync("""
            using MmuGuard;

            class Fault
            {
                void Drop(MappedPage {|MMU0023:page|})
                {
                    using var held = page;
                }
            }
            """);
}
