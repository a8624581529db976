using System;

namespace MmuGuard.Samples.BuggySim;

/// <summary>One deliberate bug: the rule that flags it at build time, what it does, and the code that does it.</summary>
/// <param name="Rule">The MmuGuard rule that reports it.</param>
/// <param name="Title">What the buggy code does.</param>
/// <param name="Run">Runs the bug in a fresh world; <see langword="null"/> when it only exists at build time.</param>
internal sealed record BugScenario(string Rule, string Title, Action<BuggyWorld>? Run);
