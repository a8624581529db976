using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace MmuGuard.Benchmarks;

/// <summary>
/// A deterministic corpus of annotated sim code for timing the analyzers in a real build: vCPU-like classes whose
/// methods follow the fault path, GUP copies, pinned handles, try-pinned out-of-band maps and plain arithmetic, with
/// a seeded sprinkle of the bugs the rules exist for (pin leaks, unconditional pins). Pin handles are
/// <see cref="IDisposable"/>, so CA2000 and IDISP001 have the same values to look at as MmuGuard's rules.
/// </summary>
public static class AnalyzerCorpus
{
    private const int Seed = 2021_22543;
    private const int ClassesPerFile = 3;
    private const int MethodsPerClass = 9;

    /// <summary>The dense mix: about seven methods in ten touch an annotated API.</summary>
    public const int Dense = -1;

    /// <summary>
    /// Writes <paramref name="files"/> source files plus the shared API into <paramref name="directory"/>; returns the
    /// line count. <paramref name="density"/> is <see cref="Dense"/> (the original mix, byte for byte) or the percentage
    /// of methods that touch an annotated API; the others are plain code of the same size.
    /// </summary>
    public static int Write(string directory, int files, int density = Dense)
    {
        Directory.CreateDirectory(directory);
        var lines = WriteFile(Path.Combine(directory, "SimApi.cs"), SimApi);
        var random = new Random(Seed);
        for (var file = 0; file < files; file++)
        {
            var text = new StringBuilder();
            text.Append("using System;\nusing MmuGuard;\nusing MmuGuard.Physical;\n\nnamespace Corpus.Part").Append(file).Append(";\n");
            for (var type = 0; type < ClassesPerFile; type++)
            {
                AppendClass(text, "Vcpu" + file.ToString(CultureInfo.InvariantCulture) + "_" + type.ToString(CultureInfo.InvariantCulture), random, density);
            }

            lines += WriteFile(Path.Combine(directory, "Part" + file.ToString("D4", CultureInfo.InvariantCulture) + ".cs"), text.ToString());
        }

        return lines;
    }

    private static int WriteFile(string path, string text)
    {
        File.WriteAllText(path, text);
        var lines = 0;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                lines++;
            }
        }

        return lines;
    }

    private static void AppendClass(StringBuilder text, string name, Random random, int density)
    {
        text.Append($$"""

            public sealed class {{name}}
            {
                private readonly object _mmuLock = new object();
                private readonly Corpus.HostMm _mm;
                private readonly Corpus.PageRefs _refs;
                private readonly Corpus.Vmcs02 _vmcs02;
                private readonly Corpus.Stage2 _stage2;
                private readonly Corpus.Notifier _notifier;

                [Pinned]
                private Pfn _apicAccessPage;

                public {{name}}(Corpus.HostMm mm, Corpus.PageRefs refs, Corpus.Vmcs02 vmcs02, Corpus.Stage2 stage2, Corpus.Notifier notifier)
                {
                    _mm = mm;
                    _refs = refs;
                    _vmcs02 = vmcs02;
                    _stage2 = stage2;
                    _notifier = notifier;
                }

            """);
        for (var method = 0; method < MethodsPerClass; method++)
        {
            var shape = random.Next(100);
            var k = random.Next(2, 4096).ToString(CultureInfo.InvariantCulture);
            var m = method.ToString(CultureInfo.InvariantCulture);
            if (density != Dense)
            {
                // Sparse: the contract shapes in their dense proportions (the draw above, with plain arithmetic taken
                // out), or, for the other methods, plain code that names no annotated member.
                var touches = random.Next(100) < density;
                var contractShape = random.Next(72);
                text.Append(touches
                    ? ShapeOf(contractShape < 62 ? contractShape : contractShape + 28, m, k)
                    : (shape % 2 == 0 ? Arithmetic(m, k) : PlainCopy(m, k)));
                continue;
            }

            text.Append(ShapeOf(shape, m, k));
        }

        text.Append("}\n");
    }

    private static string ShapeOf(int shape, string m, string k) =>
            shape switch
            {
                < 20 => FaultPath(m, k),
                < 35 => PinnedHandleRead(m, k),
                < 50 => GupCopy(m, k),
                < 62 => TryPinnedOutOfBandMap(m, k),
                < 90 => Arithmetic(m, k),
                < 96 => LeakedHandle(m, k),
                _ => UnconditionalPin(m, k),
            };

    private static string FaultPath(string m, string k) => $$"""

            public Corpus.FaultResult HandleFault{{m}}(ulong gfn, ulong hva)
            {
                var seq = _notifier.SnapshotSequence();
                var pfn = _mm.FollowPte(hva + {{k}}UL);
                lock (_mmuLock)
                {
                    if (_notifier.MustRetry(seq))
                    {
                        return Corpus.FaultResult.Retry;
                    }

                    _stage2.Install(gfn, pfn);
                }

                return Corpus.FaultResult.Installed;
            }

        """;

    private static string PinnedHandleRead(string m, string k) => $$"""

            public ulong ReadGuestQword{{m}}(ulong hva, int offset)
            {
                using var handle = _mm.PinUserPage(hva);
                var value = handle.ReadQword(offset);
                if (value == {{k}}UL)
                {
                    return 0;
                }

                return value + {{k}}UL;
            }

        """;

    private static string GupCopy(string m, string k) => $$"""

            public bool CopyGuestPage{{m}}(ulong hva)
            {
                var pfn = _mm.GetUserPages(hva);
                try
                {
                    _refs.MarkDirty(pfn);
                    return pfn.Value % {{k}}UL != 0;
                }
                finally
                {
                    _refs.Unpin(pfn);
                }
            }

        """;

    private static string TryPinnedOutOfBandMap(string m, string k) => $$"""

            public bool MapApicAccessPage{{m}}(ulong hva)
            {
                var pfn = _mm.FollowPte(hva + {{k}}UL);
                if (!_refs.TryPin(pfn))
                {
                    return false;
                }

                _vmcs02.WriteApicAccessAddress(pfn);
                _apicAccessPage = pfn;
                return true;
            }

        """;

    private static string Arithmetic(string m, string k) => $$"""

            public ulong PageOffsetSum{{m}}(ulong first, int count)
            {
                var sum = 0UL;
                for (var i = 0; i < count; i++)
                {
                    var gfn = first + (ulong)i;
                    sum += (gfn << 12) % {{k}}UL;
                }

                return sum;
            }

        """;

    private static string PlainCopy(string m, string k) => $$"""

            public int CopyGuestBytes{{m}}(byte[] source, byte[] target, int offset)
            {
                var copied = 0;
                for (var i = 0; i < source.Length && offset + i < target.Length; i++)
                {
                    if (source[i] == (byte)({{k}} & 0xff))
                    {
                        continue;
                    }

                    target[offset + i] = source[i];
                    copied++;
                }

                return copied;
            }

        """;

    private static string LeakedHandle(string m, string k) => $$"""

            public ulong PeekGuestQword{{m}}(ulong hva, bool skip)
            {
                var handle = _mm.PinUserPage(hva);
                if (skip)
                {
                    return {{k}}UL;
                }

                var value = handle.ReadQword(0);
                handle.Dispose();
                return value;
            }

        """;

    private static string UnconditionalPin(string m, string k) => $$"""

            public void PinDriverPage{{m}}(ulong hva)
            {
                var pfn = _mm.FollowPte(hva + {{k}}UL);
                _refs.Pin(pfn);
                _refs.MarkDirty(pfn);
                _refs.Unpin(pfn);
            }

        """;

    private const string SimApi = """
        using System;
        using MmuGuard;
        using MmuGuard.Physical;

        namespace Corpus;

        public enum FaultResult { Installed, Retry, Refused }

        /// <summary>A pinned guest page; disposing it drops the pin.</summary>
        public sealed class PinHandle : IDisposable
        {
            public PinHandle(Pfn pfn) { Pfn = pfn; }

            public Pfn Pfn { get; }

            [RequiresPin]
            public ulong ReadQword(int offset) => Pfn.Value + (ulong)offset;

            [ReleasesPin]
            public void Dispose() { }
        }

        public sealed class HostMm
        {
            [return: Pinned]
            public Pfn GetUserPages(ulong hva) => new Pfn(hva >> 12);

            [return: Borrowed, MayBeNonRefcounted]
            public Pfn FollowPte(ulong hva) => new Pfn(hva >> 12);

            [return: Pinned]
            public PinHandle PinUserPage(ulong hva) => new PinHandle(new Pfn(hva >> 12));
        }

        public sealed class PageRefs
        {
            public void Pin([AcquiresPin] Pfn pfn) { }
            public bool TryPin([TryAcquiresPin] Pfn pfn) => pfn.Value != 0;
            public void Unpin([ReleasesPin] Pfn pfn) { }
            public void MarkDirty([RequiresPin] Pfn pfn) { }
        }

        public sealed class Vmcs02
        {
            public void WriteApicAccessAddress([OutOfBandSink] Pfn pfn) { }
        }

        public sealed class Stage2
        {
            public void Install(ulong gfn, [NotifierCoveredSink] Pfn pfn) { }
        }

        public sealed class Notifier
        {
            [SnapshotsInvalidationSequence]
            public ulong SnapshotSequence() => 0;

            [ChecksInvalidationRetry]
            public bool MustRetry(ulong snapshot) => false;
        }

        """;
}
