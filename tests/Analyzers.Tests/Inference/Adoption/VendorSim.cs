namespace MmuGuard.Analyzers.Tests.Inference.Adoption;

/// <summary>
/// A small sim over the contract-free <c>Vendor.Mm</c> library (its contracts come only from a contracts file),
/// with its own helpers annotated by hand: what the adoption evidence strips and asks the inference to write back.
/// </summary>
internal static class VendorSim
{
    public const string Source = """
        using MmuGuard;
        using Vendor.Mm;

        namespace VendorSim
        {
            /// <summary>An out-of-band APIC-access page: keeps the pin it is given until unmapped.</summary>
            public sealed class ApicAccessPage
            {
                private readonly Frames _frames;

                [Pinned]
                private Pfn _page;

                public ApicAccessPage(Frames frames, [TakesPinOwnership] Pfn page)
                {
                    _frames = frames;
                    _page = page;
                }
            }

            /// <summary>The helpers a fault path and a nested entry use.</summary>
            public sealed class Helpers
            {
                private readonly PageTable _table = new PageTable();
                private readonly Frames _frames = new Frames();
                private readonly Vmcs _vmcs = new Vmcs();

                [return: Pinned]
                public Pfn Resolve(ulong hva) => _table.GetUserPage(hva);

                public bool TryPeek(ulong hva, [Borrowed] out Pfn pfn)
                {
                    if (hva == 0)
                    {
                        pfn = default;
                        return false;
                    }

                    pfn = _table.Walk(hva);
                    return true;
                }

                public void Drop([ReleasesPin] Pfn pfn, bool dirty)
                {
                    if (dirty)
                    {
                        _frames.SetDirty(pfn);
                    }

                    _frames.Put(pfn);
                }

                public void Touch([RequiresPin] Pfn pfn) => _frames.SetDirty(pfn);

                public void Expose([RequiresPin] Pfn pfn)
                {
                    Touch(pfn);
                    _vmcs.WriteApicAccess(pfn);
                }

                public ApicAccessPage MapApicAccess(ulong hva) => new ApicAccessPage(_frames, Resolve(hva));
            }
        }
        """;
}
