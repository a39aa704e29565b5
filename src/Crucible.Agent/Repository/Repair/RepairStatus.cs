namespace Crucible.Agent.Repository.Repair;

/// <summary>What is known about the submitted patch (never "resolved": the hidden tests are not seen).</summary>
public enum RepairStatus
{
    /// <summary>The reproduction test passes and no regression test broke.</summary>
    Verified,
    /// <summary>A reproduction test still fails or a regression test broke.</summary>
    FailsVerification,
    /// <summary>A patch, but no reproduction test or regression tests to check it with (or verification was off).</summary>
    Unverified,
    /// <summary>No edit ever applied: the patch is empty.</summary>
    NoPatch,
}
