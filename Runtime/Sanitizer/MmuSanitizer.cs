using System;
using System.Collections.Generic;
using MmuGuard.Host;
using MmuGuard.Physical;

namespace MmuGuard.Sanitizer;

/// <summary>
/// Collects the ownership bugs the simulated MMU detects as they happen. Components call <see cref="Report"/> only
/// after a cheap check of <see cref="Enabled"/>, so a disabled sanitizer costs one branch.
/// </summary>
public sealed class MmuSanitizer
{
    private readonly List<Finding> _findings = new();

    /// <summary>Creates an enabled sanitizer in <paramref name="mode"/>.</summary>
    public MmuSanitizer(SanitizerMode mode = SanitizerMode.Record)
    {
        Mode = mode;
    }

    /// <summary>Whether checks run; when <see langword="false"/> components skip them entirely.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What happens on a finding.</summary>
    public SanitizerMode Mode { get; set; }

    /// <summary>Every finding so far, in the order seen.</summary>
    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>Raised for each finding as it is recorded (before a throw in <see cref="SanitizerMode.Throw"/>).</summary>
    public event Action<Finding>? FindingReported;

    /// <summary>How many findings so far are bugs (<see cref="Finding.IsBug"/>).</summary>
    public int BugCount
    {
        get
        {
            var count = 0;
            foreach (var finding in _findings)
            {
                count += finding.IsBug ? 1 : 0;
            }

            return count;
        }
    }

    /// <summary>
    /// Records a finding; throws <see cref="SanitizerException"/> in <see cref="SanitizerMode.Throw"/> mode when it is a
    /// bug (trusted-unsafe mappings and notes are recorded only).
    /// </summary>
    public void Report(FindingKind kind, Pfn pfn, string owner, string operation, string detail)
    {
        if (!Enabled)
        {
            return;
        }

        Record(new Finding(kind, pfn, owner, operation, detail));
    }

    /// <summary>
    /// Records a finding about host range <paramref name="range"/> rather than a frame (its <see cref="Finding.Pfn"/>
    /// is 0); thrown on as <see cref="Report"/> does.
    /// </summary>
    public void ReportRange(FindingKind kind, HostRange range, string owner, string operation, string detail)
    {
        if (!Enabled)
        {
            return;
        }

        Record(new Finding(kind, default, owner, operation, detail) { Range = range });
    }

    private void Record(Finding finding)
    {
        _findings.Add(finding);
        FindingReported?.Invoke(finding);
        if (Mode == SanitizerMode.Throw && finding.IsBug)
        {
            throw new SanitizerException(finding);
        }
    }

    /// <summary>The number of findings of <paramref name="kind"/>.</summary>
    public int Count(FindingKind kind)
    {
        var count = 0;
        foreach (var finding in _findings)
        {
            if (finding.Kind == kind)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Forgets every finding.</summary>
    public void Clear() => _findings.Clear();
}
