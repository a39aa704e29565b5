/*
 * Crucible zygote: a run's set-up, in the process fork_server.c forked for it (see that file for why it is C).
 *
 * In order: close what the zygote held, join the cgroup slot, enter the slot's network namespace and new mount, ipc,
 * uts and cgroup namespaces, mount fresh tmpfs on /work, /tmp, /dev/shm and /box (the source copied there read-only,
 * or a compiled artifact bound read-only), unmount /cache, mount /proc; then the program's own session, stdio,
 * rlimits, OOM score, capability bounding set, uid, no_new_privs, signal dispositions and seccomp filter. A failure
 * before the program runs is reported on the status pipe ("E<why>", a sandbox failure); the pipe is closed before any
 * program code runs, so a program cannot report one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* move_mount(2): attaches a mount tree the host detached with open_tree(2) (glibc 2.36 has no wrapper). */
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#define MOVE_MOUNT_F_EMPTY_PATH 0x04

/* A request's fields after the 16-byte header, NUL-terminated, in this order (ZygoteRequest.Encode):
 * mode ("python"|"exec"), source ("1": the code descriptor holds the source, written to file), file, uid, work_bytes,
 * tmp_bytes, inodes, artifact ("" or a compile-cache entry under /cache), rlimit count R, R x (resource, soft, hard),
 * argv count, argv..., args count, args...
 * Descriptors: [code, stdin, stdout, stderr, cgroup.procs...]; for mode "runner" (a warm runner: fork_server.c)
 * [control socket, stdin, stdout, stderr, work tree, box tree, cgroup.procs...], the trees being the session's work
 * dir and the runner's box dir, cloned by the host (open_tree) so that no other host directory is ever visible here. */
struct request
{
    const char *mode, *file, *artifact;
    int source, inodes, nrl;
    unsigned uid;
    long long work, tmp;
    int rl_res[16];
    long long rl_soft[16], rl_hard[16];
    char **argv; /* argv then args, NULL-terminated */
};

/* What parse() allocated, for the zygote to free after an exec run's child (which shares its memory) has exec'd. */
__attribute__((visibility("hidden"))) void *crucible_run_allocation;

static const char *next_field(const char **p, const char *end)
{
    const char *f = *p;
    const char *z = f < end ? memchr(f, 0, (size_t)(end - f)) : NULL;
    if (!z) return NULL;
    *p = z + 1;
    return f;
}

static int number(const char *f, long long *out)
{
    char *e;
    if (!f || !*f) return 0;
    errno = 0;
    *out = strtoll(f, &e, 10);
    return *e == 0 && errno == 0;
}

static int parse(const char *body, const char *end, struct request *r)
{
    const char *p = body;
    long long v, n;
    r->mode = next_field(&p, end);
    const char *source = next_field(&p, end);
    r->file = next_field(&p, end);
    if (!r->mode || !source || !r->file) return 0;
    r->source = strcmp(source, "1") == 0;
    if (!number(next_field(&p, end), &v)) return 0;
    r->uid = (unsigned)v;
    if (!number(next_field(&p, end), &r->work) || !number(next_field(&p, end), &r->tmp)) return 0;
    if (!number(next_field(&p, end), &v)) return 0;
    r->inodes = (int)v;
    if (!(r->artifact = next_field(&p, end))) return 0;
    if (!number(next_field(&p, end), &n) || n < 0 || n > 16) return 0;
    r->nrl = (int)n;
    for (int i = 0; i < r->nrl; i++)
    {
        if (!number(next_field(&p, end), &v)) return 0;
        r->rl_res[i] = (int)v;
        if (!number(next_field(&p, end), &r->rl_soft[i]) || !number(next_field(&p, end), &r->rl_hard[i])) return 0;
    }
    long long argc, argsc;
    if (!number(next_field(&p, end), &argc) || argc < 1 || argc > 65536) return 0;
    const char *argv_start = p;
    for (long long i = 0; i < argc; i++) if (!next_field(&p, end)) return 0;
    if (!number(next_field(&p, end), &argsc) || argsc < 0 || argsc > 65536) return 0;
    const char *args_start = p;
    r->argv = malloc(sizeof(char *) * (size_t)(argc + argsc + 1));
    if (!r->argv) return 0;
    crucible_run_allocation = r->argv;
    p = argv_start;
    for (long long i = 0; i < argc; i++) r->argv[i] = (char *)next_field(&p, end);
    p = args_start;
    for (long long i = 0; i < argsc; i++) if (!(r->argv[argc + i] = (char *)next_field(&p, end))) return 0;
    r->argv[argc + argsc] = NULL;
    return 1;
}

static int status_fd = -1;

/* Set-up failed: the run never started. Reported as a sandbox failure, with the reason. */
static void fail(const char *what)
{
    char msg[512];
    int n = snprintf(msg, sizeof msg, "E%s: %s", what, strerror(errno));
    if (status_fd >= 0 && n > 0) { ssize_t w = write(status_fd, msg, (size_t)n); (void)w; }
    _exit(125);
}

static void must(int rc, const char *what) { if (rc != 0) fail(what); }

static void tmpfs(const char *target, const char *options)
{
    must(mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, options), target);
}

/* Closes every descriptor but the kept ones (sorted ascending). */
static void close_others(const int *keep, int n)
{
    int low = 0;
    for (int i = 0; i < n; i++)
    {
        if (keep[i] > low) syscall(SYS_close_range, low, keep[i] - 1, 0);
        if (keep[i] + 1 > low) low = keep[i] + 1;
    }
    syscall(SYS_close_range, low, ~0u, 0);
}

long crucible_pin_hot_pages_again(void) __attribute__((visibility("hidden")));

static int by_value(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* The run's program process: sets the run up and execs, or returns to run Python. */
/* What crucible_prepare_zygote found once, so that each run does not ask again. */
static int bounding_set_empty;
static int changed_signals[NSIG], n_changed_signals = -1;

/*
 * Called once in the zygote, before its loop. Drops the capability bounding set there rather than in every run (64
 * prctl calls each; a run inherits the empty set): nothing the zygote starts needs it, as run_init gives up every
 * capability itself and a run drops to its slot's uid. Notes the signals whose disposition is not the default (the
 * interpreter's own, and any the zygote was started with ignored): a run resets only those instead of all 64, and
 * they cannot change later, since the zygote runs no more Python before it forks. Where the zygote may not drop
 * the bounding set, each run still tries, as before.
 */
__attribute__((visibility("hidden"))) void crucible_prepare_zygote(void)
{
    int empty = 1;
    for (int cap = 0; cap < 64; cap++)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
        {
            empty = errno == EINVAL; /* past the kernel's last capability: all of them dropped */
            break;
        }
    bounding_set_empty = empty;
    int n = 0;
    for (int sig = 1; sig < NSIG; sig++)
    {
        struct sigaction old;
        if (sigaction(sig, NULL, &old) == 0 && old.sa_handler != SIG_DFL) changed_signals[n++] = sig;
    }
    n_changed_signals = n;
}

__attribute__((visibility("hidden"))) void crucible_set_up_run(const char *body, const char *end, int *fds, int nfds, int status_w, int netns,
                       const struct sock_fprog *filter)
{
    status_fd = status_w;
    struct request r;
    if (nfds < 4 || !parse(body, end, &r)) { errno = EINVAL; fail("bad request"); }
    int runner = strcmp(r.mode, "runner") == 0, procs = runner ? 6 : 4;
    if (nfds < procs) { errno = EINVAL; fail("bad request"); }
    /* Nothing of the zygote (its socket, other runs' descriptors, the loop's epoll) stays open in a run. */
    int keep[40], nkeep = 0;
    for (int i = 0; i < nfds && nkeep < 38; i++) keep[nkeep++] = fds[i];
    keep[nkeep++] = status_w;
    if (netns >= 0) keep[nkeep++] = netns;
    qsort(keep, (size_t)nkeep, sizeof keep[0], by_value);
    close_others(keep, nkeep);
    /* Join the run's cgroup slot before any further work, so all of it is accounted. */
    for (int i = procs; i < nfds; i++)
    {
        if (write(fds[i], "0", 1) != 1) fail("join cgroup slot");
        close(fds[i]);
    }
    if (netns >= 0)
    {
        must(setns(netns, CLONE_NEWNET), "setns net");
        close(netns);
    }
    must(unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | (netns < 0 ? CLONE_NEWNET : 0)), "unshare");
    must(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "make / private");
    char opts[160];
    if (runner)
    {
        /* The session's own /work (its capped tmpfs, owned by the session uid) and the runner's /box, read-only. */
        must((int)syscall(SYS_move_mount, fds[4], "", AT_FDCWD, "/work", MOVE_MOUNT_F_EMPTY_PATH), "attach /work");
        must((int)syscall(SYS_move_mount, fds[5], "", AT_FDCWD, "/box", MOVE_MOUNT_F_EMPTY_PATH), "attach /box");
        must(mount(NULL, "/box", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL), "remount /box");
        close(fds[4]);
        close(fds[5]);
    }
    else
    {
        snprintf(opts, sizeof opts, "size=%lld,nr_inodes=%d,mode=0700,uid=%u,gid=%u", r.work, r.inodes, r.uid, r.uid);
        tmpfs("/work", opts);
    }
    snprintf(opts, sizeof opts, "size=%lld,nr_inodes=%d,mode=1777", r.tmp, r.inodes);
    tmpfs("/tmp", opts);
    tmpfs("/dev/shm", opts);
    int code = fds[0];
    if (runner) {}
    else if (r.source)
    {
        struct stat st;
        must(fstat(code, &st), "stat code");
        snprintf(opts, sizeof opts, "size=%lld,nr_inodes=16,mode=0755", (long long)st.st_size + (64 << 10));
        tmpfs("/box", opts);
        int out = open(r.file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
        if (out < 0) fail("create source file");
        off_t off = 0;
        while (off < st.st_size)
            if (sendfile(out, code, &off, (size_t)(st.st_size - off)) <= 0) fail("write source file");
        close(out);
        must(mount(NULL, "/box", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL), "remount /box");
    }
    else if (*r.artifact)
    {
        if (strchr(r.artifact, '/') || r.artifact[0] == '.') { errno = EINVAL; fail("bad artifact name"); }
        char path[300];
        snprintf(path, sizeof path, "/cache/%s", r.artifact);
        must(mount(path, "/box", NULL, MS_BIND | MS_REC, NULL), "bind artifact");
        must(mount(NULL, "/box", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL), "remount /box");
    }
    struct stat cache;
    if (stat("/cache", &cache) == 0 && S_ISDIR(cache.st_mode))
        must(umount2("/cache", MNT_DETACH), "umount /cache"); /* no other submission's artifact stays visible */
    must(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL), "mount /proc");
    must(sethostname("sandbox", 7), "sethostname");

    /* The program itself: its own session, the host's pipes as stdio, its limits, the slot's uid. */
    setsid();
    for (int i = 0; i < 3; i++) if (dup2(fds[1 + i], i) < 0) fail("dup2");
    for (int i = 0; i < 3; i++) if (fds[1 + i] > 2) close(fds[1 + i]);
    if (!runner) close(code);
    /* Each test a runner forks copies the pages a run writes at once (hot_pages.c); where the pin fails, its tests
     * copy them on write, as before. Here, once 0-2 are the run's: the ring's descriptor must not take one of them. */
    if (runner) crucible_pin_hot_pages_again();
    for (int i = 0; i < r.nrl; i++)
    {
        struct rlimit cur, want;
        must(getrlimit(r.rl_res[i], &cur), "getrlimit");
        rlim_t hard = (rlim_t)r.rl_hard[i], soft = (rlim_t)r.rl_soft[i];
        if (cur.rlim_max != RLIM_INFINITY && hard > cur.rlim_max) hard = cur.rlim_max; /* a hard limit only goes down */
        want.rlim_max = hard;
        want.rlim_cur = soft < hard ? soft : hard;
        must(setrlimit(r.rl_res[i], &want), "setrlimit");
    }
    if (!runner) /* a runner keeps the zygote's score (the launcher's -1000 where allowed); its runs raise their own */
    {
        int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (oom < 0 || write(oom, "1000", 4) != 4) fail("oom_score_adj");
        close(oom);
    }
    must(setpriority(PRIO_PROCESS, 0, 0), "setpriority");
    if (!bounding_set_empty)
        for (int cap = 0; cap < 64; cap++) if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) break;
    must(setgroups(0, NULL), "setgroups");
    must(setresgid(r.uid, r.uid, r.uid), "setresgid");
    must(setresuid(r.uid, r.uid, r.uid), "setresuid"); /* root to non-root: permitted and effective caps are cleared */
    /* The inheritable set is not (bubblewrap leaves the zygote some): nothing a run starts may inherit a capability. */
    struct __user_cap_header_struct cap_header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct no_caps[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
    must((int)syscall(SYS_capset, &cap_header, no_caps), "capset");
    must(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs");
    must(chdir("/work"), "chdir /work"); /* owner-only: entered as the run's uid (the zygote holds no DAC override) */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    if (n_changed_signals < 0)
        for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, NULL);
    else
        for (int i = 0; i < n_changed_signals; i++) sigaction(changed_signals[i], &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (filter) must(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, filter, 0, 0), "seccomp");
    close(status_w);
    status_fd = -1;
    if (runner && code != 3)
    {
        /* The control socket at 3, where warm_runner.py takes it: only 0-2 and it are open now. */
        if (dup2(code, 3) != 3) _exit(125);
        close(code);
    }
    if (strcmp(r.mode, "exec") == 0)
    {
        execvpe(r.argv[0], r.argv, environ);
        char msg[400];
        int n = snprintf(msg, sizeof msg, "crucible zygote: exec %s: %s\n", r.argv[0], strerror(errno));
        if (n > 0) { ssize_t w = write(2, msg, (size_t)n); (void)w; }
        _exit(127);
    }
    free(r.argv);
}
