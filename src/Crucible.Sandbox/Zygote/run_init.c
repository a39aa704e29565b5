/*
 * Crucible run init: pid 1 of one zygote run's pid namespace (see zygote.py, "start").
 *
 * The zygote spawns this (vfork + exec, so no copy of the zygote's Python heap) right after unshare(CLONE_NEWPID), then
 * forks the run's program, which becomes pid 2 of the same namespace. This process only has to exist: while it lives
 * the namespace lives; it reaps whatever the program orphans (as bubblewrap's init does in a cold sandbox); when the
 * zygote kills it once the program has ended, the kernel ends everything left in the namespace.
 *
 * Built without libc (no start-up work, ~9 KB) for x86-64; on any other architecture the build fails on purpose and
 * the zygote keeps its portable Python init (a second fork of the interpreter). Nothing here reads input.
 */
#if !defined(__x86_64__)
#error "run_init is written for x86-64 only; the zygote falls back to its Python init elsewhere"
#endif

#define SYS_RT_SIGPROCMASK 14
#define SYS_WAIT4 61
#define SYS_EXIT 60
#define SYS_CAPSET 126
#define SYS_RT_SIGTIMEDWAIT 128
#define SYS_PRCTL 157
#define SYS_CLOSE_RANGE 436
#define PR_SET_PDEATHSIG 1
#define PR_SET_DUMPABLE 4
#define SIGKILL 9
#define SIGCHLD 17
#define SIG_BLOCK 0
#define WNOHANG 1
#define WALL 0x40000000

static long sys(long n, long a, long b, long c, long d)
{
    long r;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return r;
}

struct cap_header { unsigned int version; int pid; };
struct cap_data { unsigned int effective, permitted, inheritable; };

/* The kernel enters _start with the stack 16-byte aligned, not as a call would leave it: realign. */
__attribute__((force_align_arg_pointer, noreturn)) void _start(void)
{
    /* Ends with the zygote, whatever happens to it. */
    sys(SYS_PRCTL, PR_SET_PDEATHSIG, SIGKILL, 0, 0);
    /* The run's processes run as another uid; not dumpable also keeps /proc/1/{mem,root,fd} closed to them. */
    sys(SYS_PRCTL, PR_SET_DUMPABLE, 0, 0, 0);
    /* Nothing inherited from the zygote stays open here: its stdio, the run's pipes, the code descriptor. */
    sys(SYS_CLOSE_RANGE, 0, ~0u, 0, 0);
    /* No capability is needed to wait: give up all of them (the zygote's are what bubblewrap left it). */
    struct cap_header h = { 0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0 };
    struct cap_data d[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
    if (sys(SYS_CAPSET, (long)&h, (long)d, 0, 0) != 0) sys(SYS_EXIT, 126, 0, 0, 0);
    /* Orphans are reaped as they exit. SIGCHLD is blocked so it stays pending for the wait below: an init's signals
     * with the default action are otherwise discarded, and nothing would wake it. */
    unsigned long chld = 1ul << (SIGCHLD - 1);
    sys(SYS_RT_SIGPROCMASK, SIG_BLOCK, (long)&chld, 0, sizeof chld);
    for (;;)
    {
        while (sys(SYS_WAIT4, -1, 0, WNOHANG | WALL, 0) > 0) {}
        sys(SYS_RT_SIGTIMEDWAIT, (long)&chld, 0, 0, sizeof chld);
    }
}
