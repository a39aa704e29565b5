namespace Crucible.Sandbox.Seccomp;

/// <summary>
/// The system calls a test never needs, denied in every sandboxed process (cold, warm and zygote runs alike) with
/// EPERM so a program sees an ordinary error instead of dying: debugging and reading other processes, mounting and
/// namespaces (no user namespaces: a large kernel attack surface), kernel keyrings (per uid and outliving processes,
/// so one submission could leave a key for a later one on the same uid), BPF, perf, userfaultfd, io_uring, module
/// and kexec loading, clock and host settings, and personality changes. Numbers are x86_64's.
/// </summary>
internal static class SeccompPolicy
{
    private const uint CloneNamespaceFlags = 0x00020000 /* NEWNS */ | 0x02000000 /* NEWCGROUP */ | 0x04000000 /* NEWUTS */
        | 0x08000000 /* NEWIPC */ | 0x10000000 /* NEWUSER */ | 0x20000000 /* NEWPID */ | 0x40000000 /* NEWNET */ | 0x00000080 /* NEWTIME */;

    private const uint Tiocsti = 0x5412, Tioclinux = 0x541C;

    private static readonly (string Name, int Number)[] Denied =
    [
        ("ptrace", 101), ("process_vm_readv", 310), ("process_vm_writev", 311), ("pidfd_getfd", 438), ("kcmp", 312), ("process_madvise", 440),
        ("mount", 165), ("umount2", 166), ("pivot_root", 155), ("chroot", 161), ("unshare", 272), ("setns", 308),
        ("open_tree", 428), ("move_mount", 429), ("fsopen", 430), ("fsconfig", 431), ("fsmount", 432), ("fspick", 433), ("mount_setattr", 442),
        ("statmount", 457), ("listmount", 458),
        ("add_key", 248), ("request_key", 249), ("keyctl", 250),
        ("bpf", 321), ("perf_event_open", 298), ("userfaultfd", 323),
        ("io_uring_setup", 425), ("io_uring_enter", 426), ("io_uring_register", 427),
        ("kexec_load", 246), ("kexec_file_load", 320), ("init_module", 175), ("finit_module", 313), ("delete_module", 176),
        ("acct", 163), ("swapon", 167), ("swapoff", 168), ("reboot", 169), ("sethostname", 170), ("setdomainname", 171),
        ("iopl", 172), ("ioperm", 173), ("modify_ldt", 154), ("quotactl", 179), ("quotactl_fd", 443), ("syslog", 103),
        ("open_by_handle_at", 304), ("name_to_handle_at", 303), ("fanotify_init", 300), ("vhangup", 153), ("uselib", 134), ("_sysctl", 156),
        ("settimeofday", 164), ("clock_settime", 227), ("clock_adjtime", 305), ("adjtimex", 159), ("lookup_dcookie", 212), ("nfsservctl", 180),
    ];

    /// <summary>The rules of the filter, in the order they are checked.</summary>
    public static IReadOnlyList<SyscallRule> Rules { get; } =
    [
        .. Denied.Select(d => new SyscallRule(d.Name, d.Number)),
        new("clone", 56, RuleKind.DenyIfArgHasBits, Values: [CloneNamespaceFlags]),
        // clone3 passes its flags in memory the filter cannot read: ENOSYS makes libc fall back to clone, which it can.
        new("clone3", 435, Errno: SyscallRule.ENOSYS),
        new("personality", 135, RuleKind.DenyUnlessArgIn, Values: [0xFFFFFFFF /* query */, 0 /* PER_LINUX */]),
        new("ioctl", 16, RuleKind.DenyIfArgIn, Arg: 1, Values: [Tiocsti, Tioclinux]),
    ];

    /// <summary>Writes the assembled filter where the sandboxes read it (bubblewrap --seccomp, the zygotes); null when unsupported.</summary>
    public static string? WriteTo(string directory)
    {
        if (!SeccompFilter.Supported) return null;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "seccomp.bpf");
        var tmp = path + "." + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllBytes(tmp, SeccompFilter.Assemble(Rules));
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
