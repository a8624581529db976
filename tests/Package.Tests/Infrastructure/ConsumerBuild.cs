namespace MmuGuard.Package.Tests.Infrastructure;

/// <summary>A consumer project and the result of building it, shared by the tests that read the same build.</summary>
public sealed record ConsumerBuild(ConsumerProject Project, CommandResult Result);
