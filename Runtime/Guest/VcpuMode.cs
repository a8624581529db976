namespace MmuGuard.Guest;

/// <summary>Where a vCPU is (<c>vcpu-&gt;mode</c>): whether the hardware may be consuming its hardware fields.</summary>
public enum VcpuMode
{
    /// <summary>In the host (<c>OUTSIDE_GUEST_MODE</c>): nothing reads the hardware fields.</summary>
    OutsideGuest,

    /// <summary>Running the guest (<c>IN_GUEST_MODE</c>): the CPU uses the host addresses in the hardware fields.</summary>
    InGuest,

    /// <summary>Kicked, not yet out (<c>EXITING_GUEST_MODE</c>): the hardware still runs until the exit lands.</summary>
    ExitingGuest,
}
