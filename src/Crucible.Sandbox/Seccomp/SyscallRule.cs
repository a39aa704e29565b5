namespace Crucible.Sandbox.Seccomp;

/// <summary>
/// What the filter does with one system call (x86_64 number). Without a condition the call always fails with
/// <see cref="Errno"/>; with one, only calls whose argument matches fail (or, for <see cref="RuleKind.DenyUnlessArgIn"/>,
/// only calls whose argument does not match). Arguments are compared on their low 32 bits, which is all the kernel
/// reads for the flags and commands used here.
/// </summary>
internal sealed record SyscallRule(string Name, int Number, RuleKind Kind = RuleKind.Deny, int Errno = SyscallRule.EPERM, int Arg = 0, IReadOnlyList<uint>? Values = null)
{
    public const int EPERM = 1;
    public const int ENOSYS = 38;

    public IReadOnlyList<uint> Values { get; init; } = Values ?? [];
}

internal enum RuleKind
{
    /// <summary>Always fails with the errno.</summary>
    Deny,

    /// <summary>Fails when the argument has any bit of <c>Values[0]</c> set (e.g. namespace flags of clone).</summary>
    DenyIfArgHasBits,

    /// <summary>Fails when the argument equals one of the values (e.g. the TIOCSTI ioctl).</summary>
    DenyIfArgIn,

    /// <summary>Fails unless the argument equals one of the values (e.g. personality queries only).</summary>
    DenyUnlessArgIn,
}
