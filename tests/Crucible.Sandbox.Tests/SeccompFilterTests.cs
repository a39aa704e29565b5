using System.Buffers.Binary;
using Crucible.Sandbox.Seccomp;

namespace Crucible.Sandbox.Tests;

/// <summary>The assembled filter, run through a small classic-BPF interpreter (the kernel's semantics for the opcodes used).</summary>
public sealed class SeccompFilterTests
{
    private static readonly byte[] Program = SeccompFilter.Assemble(SeccompPolicy.Rules);
    private const uint Allow = SeccompFilter.RetAllow, Eperm = SeccompFilter.RetErrno | 1, Enosys = SeccompFilter.RetErrno | 38;

    /// <summary>Runs the filter on one system call as the kernel would: A is loaded from struct seccomp_data.</summary>
    private static uint Evaluate(byte[] program, int nr, params ulong[] args) => EvaluateOnArch(program, nr, SeccompFilter.AuditArchX86_64, args);

    private static uint EvaluateOnArch(byte[] program, int nr, uint arch, params ulong[] args)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(data, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        for (var i = 0; i < args.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + 8 * i), args[i]);
        uint a = 0;
        var pc = 0;
        for (var steps = 0; steps < 10_000; steps++)
        {
            Assert.InRange(pc, 0, program.Length / 8 - 1);
            var ins = program.AsSpan(pc * 8);
            var code = BinaryPrimitives.ReadUInt16LittleEndian(ins);
            var (jt, jf, k) = (ins[2], ins[3], BinaryPrimitives.ReadUInt32LittleEndian(ins[4..]));
            switch (code)
            {
                case SeccompFilter.LdWAbs: Assert.True(k % 4 == 0 && k < 64, $"bad load offset {k}"); a = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)k)); pc++; break;
                case SeccompFilter.JeqK: pc += 1 + (a == k ? jt : jf); break;
                case SeccompFilter.JgeK: pc += 1 + (a >= k ? jt : jf); break;
                case SeccompFilter.JsetK: pc += 1 + ((a & k) != 0 ? jt : jf); break;
                case SeccompFilter.RetK: return k;
                default: Assert.Fail($"unknown opcode {code:x} at {pc}"); break;
            }
        }
        Assert.Fail("the filter did not return");
        return 0;
    }

    [Fact]
    public void EveryDeniedCallFailsWithItsErrnoAndEveryOtherCallIsAllowed()
    {
        var byNumber = SeccompPolicy.Rules.Where(r => r.Kind == RuleKind.Deny).ToDictionary(r => r.Number);
        for (var nr = 0; nr < 500; nr++)
        {
            var expected = byNumber.TryGetValue(nr, out var rule) ? SeccompFilter.RetErrno | (uint)rule.Errno
                : SeccompPolicy.Rules.Any(r => r.Number == nr) ? (uint?)null : Allow;
            if (expected is { } e) Assert.True(Evaluate(Program, nr) == e, $"syscall {nr}: {Evaluate(Program, nr):x8}");
        }
        foreach (var name in new[] { "keyctl", "add_key", "request_key", "ptrace", "mount", "unshare", "setns", "bpf", "io_uring_setup", "userfaultfd", "perf_event_open" })
            Assert.Contains(SeccompPolicy.Rules, r => r.Name == name && r.Kind == RuleKind.Deny);
        Assert.Equal(Allow, Evaluate(Program, 0)); // read
        Assert.Equal(Allow, Evaluate(Program, 57)); // fork
        Assert.Equal(Allow, Evaluate(Program, 59)); // execve
    }

    [Fact]
    public void CloneIsAllowedButNotIntoNewNamespaces()
    {
        Assert.Equal(Allow, Evaluate(Program, 56, 0x01200011)); // fork's flags: CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD
        Assert.Equal(Allow, Evaluate(Program, 56, 0x003D0F00)); // pthread_create's flags
        foreach (var ns in new ulong[] { 0x10000000, 0x20000000, 0x40000000, 0x00020000, 0x08000000, 0x04000000, 0x02000000, 0x80 })
            Assert.Equal(Eperm, Evaluate(Program, 56, ns | 17));
        Assert.Equal(Enosys, Evaluate(Program, 435)); // clone3: libc falls back to clone
    }

    [Fact]
    public void ArgumentRulesLookOnlyAtTheirArgument()
    {
        Assert.Equal(Allow, Evaluate(Program, 135, 0xFFFFFFFF)); // personality query
        Assert.Equal(Allow, Evaluate(Program, 135, 0));
        Assert.Equal(Eperm, Evaluate(Program, 135, 0x0040000)); // ADDR_NO_RANDOMIZE
        Assert.Equal(Eperm, Evaluate(Program, 16, 1, 0x5412)); // ioctl TIOCSTI
        Assert.Equal(Allow, Evaluate(Program, 16, 1, 0x5401)); // ioctl TCGETS
        Assert.Equal(Allow, Evaluate(Program, 16, 0x5412, 0x5401)); // the fd number is not the command
    }

    [Fact]
    public void ForeignArchitecturesAreKilledAndX32CallsFail()
    {
        Assert.Equal(SeccompFilter.RetKillProcess, EvaluateOnArch(Program, 0, 0x40000003)); // i386 entry point
        Assert.Equal(Eperm, Evaluate(Program, unchecked((int)0x40000000) | 0)); // x32 read
    }

    [Fact]
    public void LongRuleListsKeepJumpsLocal()
    {
        var rules = Enumerable.Range(0, 900).Select(i => new SyscallRule("n" + i, 1000 + i)).ToList();
        rules.Add(new SyscallRule("masked", 3000, RuleKind.DenyUnlessArgIn, Values: Enumerable.Range(0, 150).Select(i => (uint)i).ToList()));
        var program = SeccompFilter.Assemble(rules);
        Assert.Equal(Eperm, Evaluate(program, 1899));
        Assert.Equal(Allow, Evaluate(program, 1900));
        Assert.Equal(Allow, Evaluate(program, 3000, 149));
        Assert.Equal(Eperm, Evaluate(program, 3000, 150));
        Assert.Throws<InvalidOperationException>(() => SeccompFilter.Assemble(Enumerable.Range(0, 2100).Select(i => new SyscallRule("n", i)).ToList()));
    }
}
