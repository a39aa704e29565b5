using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Crucible.Sandbox.Seccomp;

/// <summary>
/// Assembles the classic-BPF program the kernel runs on every system call of a sandboxed process (seccomp mode 2).
/// Layout: architecture check (anything but x86_64 — e.g. the i386 entry point — kills the process), x32-ABI calls
/// fail, then one short block per rule, then allow. Every jump is local to its block, so the 8-bit BPF jump
/// offsets never overflow however long the list grows.
/// </summary>
internal static class SeccompFilter
{
    public const uint AuditArchX86_64 = 0xC000003E;
    public const uint X32SyscallBit = 0x40000000;
    public const uint RetKillProcess = 0x80000000;
    public const uint RetErrno = 0x00050000;
    public const uint RetAllow = 0x7FFF0000;

    // struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (little endian).
    public const uint OffsetNr = 0, OffsetArch = 4, OffsetArgs = 16;

    // Classic BPF opcodes.
    public const ushort LdWAbs = 0x20, JeqK = 0x15, JgeK = 0x35, JsetK = 0x45, RetK = 0x06;

    /// <summary>True when filters can be built for this machine (x86_64 only; elsewhere runs go without one, reported).</summary>
    public static bool Supported => RuntimeInformation.ProcessArchitecture == Architecture.X64 && OperatingSystem.IsLinux();

    /// <summary>The program for these rules, as the kernel's array of <c>struct sock_filter</c> (8 bytes each).</summary>
    public static byte[] Assemble(IReadOnlyList<SyscallRule> rules)
    {
        var p = new List<Instruction>
        {
            new(LdWAbs, 0, 0, OffsetArch),
            new(JeqK, 1, 0, AuditArchX86_64),
            new(RetK, 0, 0, RetKillProcess),
            new(LdWAbs, 0, 0, OffsetNr),
            new(JgeK, 0, 1, X32SyscallBit),
            new(RetK, 0, 0, RetErrno | SyscallRule.EPERM),
        };
        foreach (var rule in rules) Emit(p, rule);
        p.Add(new Instruction(RetK, 0, 0, RetAllow));
        if (p.Count > 4096) throw new InvalidOperationException($"seccomp filter of {p.Count} instructions exceeds the kernel's 4096");
        var bytes = new byte[p.Count * 8];
        for (var i = 0; i < p.Count; i++)
        {
            var s = bytes.AsSpan(i * 8);
            BinaryPrimitives.WriteUInt16LittleEndian(s, p[i].Code);
            s[2] = p[i].Jt;
            s[3] = p[i].Jf;
            BinaryPrimitives.WriteUInt32LittleEndian(s[4..], p[i].K);
        }
        return bytes;
    }

    private static void Emit(List<Instruction> p, SyscallRule rule)
    {
        var deny = RetErrno | (uint)(rule.Errno & 0xFFFF);
        if (rule.Kind == RuleKind.Deny)
        {
            p.Add(new Instruction(JeqK, 0, 1, (uint)rule.Number));
            p.Add(new Instruction(RetK, 0, 0, deny));
            return;
        }
        if (rule.Values.Count == 0 || rule.Values.Count > 200) throw new ArgumentException($"rule {rule.Name} needs 1..200 values");
        if (rule.Arg is < 0 or > 5) throw new ArgumentException($"rule {rule.Name}: argument index {rule.Arg} is not 0..5");
        // The block after the number check: load the argument, compare, then [ret no-match] [ret match].
        var compares = rule.Kind == RuleKind.DenyIfArgHasBits ? 1 : rule.Values.Count;
        var block = 1 + compares + 2;
        p.Add(new Instruction(JeqK, 0, (byte)block, (uint)rule.Number));
        p.Add(new Instruction(LdWAbs, 0, 0, OffsetArgs + 8 * (uint)rule.Arg));
        if (rule.Kind == RuleKind.DenyIfArgHasBits)
        {
            p.Add(new Instruction(JsetK, 1, 0, rule.Values[0]));
        }
        else
        {
            for (var i = 0; i < compares; i++)
                p.Add(new Instruction(JeqK, (byte)(compares - i), 0, rule.Values[i]));
        }
        var (onMatch, onOther) = rule.Kind == RuleKind.DenyUnlessArgIn ? (RetAllow, deny) : (deny, RetAllow);
        p.Add(new Instruction(RetK, 0, 0, onOther));
        p.Add(new Instruction(RetK, 0, 0, onMatch));
    }

    /// <summary>One <c>struct sock_filter</c>.</summary>
    internal readonly record struct Instruction(ushort Code, byte Jt, byte Jf, uint K);
}
