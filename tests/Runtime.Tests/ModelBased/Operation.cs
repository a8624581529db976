namespace MmuGuard.Runtime.Tests.ModelBased;

/// <summary>One random operation: what to do and two small numbers that pick its target and extent.</summary>
internal readonly record struct Operation(Step Step, int Target, int Extent);
