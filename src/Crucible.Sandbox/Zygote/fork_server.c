/*
 * Crucible zygote fork server (zygote.py calls it once, after preloading): the zygote's dispatch loop and each run's
 * set-up, in C.
 *
 * Every page a process writes while it shares it with another after a fork is copied. The loop and the set-up in
 * Python wrote ~180 pages of the zygote per run and ~320 of the run's own before the program started (reference
 * counts, allocator pools, selector, JSON and ctypes objects): about a millisecond of copy-on-write faults per run.
 * Here the zygote touches its own few pages, and a run returns to Python only to execute the program.
 *
 * Per request (see "struct request") with descriptors [code, stdin, stdout, stderr, cgroup.procs...]: a status pipe,
 * unshare(CLONE_NEWPID), spawn run_init (pid 1: vfork + exec, no copy of this process), fork the run's program process
 * (pid 2), and back to the zygote's pid namespace. The program process joins its cgroup slot, gets its own
 * mount/ipc/uts/cgroup namespaces and the slot's empty network namespace, fresh size-capped tmpfs for /work, /tmp,
 * /dev/shm and /box, a fresh /proc, then drops to the slot's uid (empty capability bounding set, no_new_privs), its
 * rlimits and the seccomp filter, and execs (compiled programs, launchers) or returns to Python (Python programs).
 * When it ends: kill the init (the kernel ends what is left in the namespace), reap both, and reply
 * {"id": n, "exit" | "signal" | "killed" | "error": ...} on the control socket. A failed set-up writes "E<why>" on the
 * status pipe: the reply is an error (a sandbox failure), never the program's verdict.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_FD 65536
#define MAX_SLOTS 4096
enum { FREE, RUN, INIT };

struct entry { int kind; int64_t id; pid_t pid; pid_t init_pid; int init_fd; int status_r; };

static struct entry table[MAX_FD];
static int slot_netns[MAX_SLOTS];

static int pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }
static int pidfd_kill(int fd) { return (int)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0); }

static void reply(int sock, const char *json)
{
    send(sock, json, strlen(json), MSG_NOSIGNAL);
}

static void reply_error(int sock, int64_t id, const char *what, const char *detail)
{
    char text[1024], out[2300];
    snprintf(text, sizeof text, "%s%s", what, detail);
    size_t o = (size_t)snprintf(out, sizeof out, "{\"id\":%lld,\"error\":\"", (long long)id);
    for (const char *p = text; *p && o < sizeof out - 8; p++)
    {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') { out[o++] = '\\'; out[o++] = (char)c; }
        else if (c < 0x20) o += (size_t)snprintf(out + o, 7, "\\u%04x", c);
        else out[o++] = (char)c;
    }
    memcpy(out + o, "\"}", 3);
    reply(sock, out);
}

/* The slot's own empty network namespace (lo down), made on its first run and reused only by that slot. */
static int netns_of(int slot)
{
    if (slot < 0 || slot >= MAX_SLOTS) return -1;
    if (slot_netns[slot] > 0) return slot_netns[slot];
    int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (own < 0) return -1;
    int fd = -1;
    if (unshare(CLONE_NEWNET) == 0)
    {
        fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (setns(own, CLONE_NEWNET) != 0) { close(own); _exit(70); } /* cannot go back: this zygote is unusable */
    }
    close(own);
    if (fd >= 0) slot_netns[slot] = fd;
    return fd;
}

/* True when the process is on its way out (PF_EXITING) or gone. */
static int exiting(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 1;
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) return 1;
    char state = 0;
    unsigned long flags = 0;
    if (sscanf(p + 1, " %c %*d %*d %*d %*d %*d %lu", &state, &flags) != 2) return 1;
    return state == 'Z' || state == 'X' || (flags & 0x4) != 0;
}

static void finish_run(int sock, int ep, int pfd)
{
    struct entry e = table[pfd];
    table[pfd].kind = FREE;
    epoll_ctl(ep, EPOLL_CTL_DEL, pfd, NULL);
    close(pfd);
    int status = 0;
    while (waitpid(e.pid, &status, 0) < 0 && errno == EINTR) {}
    char report[1100];
    ssize_t n = read(e.status_r, report, sizeof report - 1);
    close(e.status_r);
    report[n > 0 ? n : 0] = 0;
    /* A program killed by SIGKILL while its init was already exiting was killed by the init's end: someone outside
     * killed the init (the program cannot, being another uid inside its namespace). */
    int outside = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && exiting(e.init_pid);
    pidfd_kill(e.init_fd);
    table[e.init_fd] = (struct entry){ .kind = INIT, .pid = e.init_pid };
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = e.init_fd };
    epoll_ctl(ep, EPOLL_CTL_ADD, e.init_fd, &ev);
    char out[128];
    if (n > 0 && report[0] == 'E') { reply_error(sock, e.id, "", report + 1); return; }
    if (outside) snprintf(out, sizeof out, "{\"id\":%lld,\"killed\":%d}", (long long)e.id, SIGKILL);
    else if (WIFSIGNALED(status)) snprintf(out, sizeof out, "{\"id\":%lld,\"signal\":%d}", (long long)e.id, WTERMSIG(status));
    else snprintf(out, sizeof out, "{\"id\":%lld,\"exit\":%d}", (long long)e.id, WEXITSTATUS(status));
    reply(sock, out);
}

/* Receives one request; its length, 0 when the socket closed, -1 on a message that is not a request. */
static long receive(int sock, char *buf, long size, int *fds, int maxfds, int *nfds)
{
    char control[CMSG_SPACE(sizeof(int) * 32)];
    struct iovec iov = { buf, (size_t)size };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    ssize_t n;
    while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
    if (n <= 0) return 0;
    *nfds = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
        {
            int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            int *in = (int *)CMSG_DATA(c);
            for (int i = 0; i < count; i++)
                if (*nfds < maxfds) fds[(*nfds)++] = in[i]; else close(in[i]);
        }
    return n < 16 ? -1 : (long)n;
}


/* A request's fields after the 16-byte header, NUL-terminated, in this order (ZygoteRequest.Encode):
 * mode ("python"|"exec"), source ("1": the code descriptor holds the source, written to file), file, uid, work_bytes,
 * tmp_bytes, inodes, artifact ("" or a compile-cache entry under /cache), rlimit count R, R x (resource, soft, hard),
 * argv count, argv..., args count, args... */
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

static int by_value(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* The run's program process: sets the run up and execs, or returns to run Python. */
static void set_up_run(const char *body, const char *end, int *fds, int nfds, int status_w, int netns,
                       const struct sock_fprog *filter)
{
    status_fd = status_w;
    struct request r;
    if (nfds < 4 || !parse(body, end, &r)) { errno = EINVAL; fail("bad request"); }
    /* Nothing of the zygote (its socket, other runs' descriptors, the loop's epoll) stays open in a run. */
    int keep[40], nkeep = 0;
    for (int i = 0; i < nfds && nkeep < 38; i++) keep[nkeep++] = fds[i];
    keep[nkeep++] = status_w;
    keep[nkeep++] = netns;
    qsort(keep, (size_t)nkeep, sizeof keep[0], by_value);
    close_others(keep, nkeep);
    /* Join the run's cgroup slot before any further work, so all of it is accounted. */
    for (int i = 4; i < nfds; i++)
    {
        if (write(fds[i], "0", 1) != 1) fail("join cgroup slot");
        close(fds[i]);
    }
    must(setns(netns, CLONE_NEWNET), "setns net");
    close(netns);
    must(unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP), "unshare");
    must(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "make / private");
    char opts[160];
    snprintf(opts, sizeof opts, "size=%lld,nr_inodes=%d,mode=0700,uid=%u,gid=%u", r.work, r.inodes, r.uid, r.uid);
    tmpfs("/work", opts);
    snprintf(opts, sizeof opts, "size=%lld,nr_inodes=%d,mode=1777", r.tmp, r.inodes);
    tmpfs("/tmp", opts);
    tmpfs("/dev/shm", opts);
    int code = fds[0];
    if (r.source)
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
    close(code);
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
    int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (oom < 0 || write(oom, "1000", 4) != 4) fail("oom_score_adj");
    close(oom);
    must(setpriority(PRIO_PROCESS, 0, 0), "setpriority");
    for (int cap = 0; cap < 64; cap++) if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) break;
    must(setgroups(0, NULL), "setgroups");
    must(setresgid(r.uid, r.uid, r.uid), "setresgid");
    must(setresuid(r.uid, r.uid, r.uid), "setresuid"); /* root to non-root: permitted and effective caps are cleared */
    must(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs");
    must(chdir("/work"), "chdir /work"); /* owner-only: entered as the run's uid (the zygote holds no DAC override) */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (filter) must(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, filter, 0, 0), "seccomp");
    close(status_w);
    status_fd = -1;
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

long crucible_fork_server(int sock, const char *run_init, const void *filter_code, long filter_bytes, char *buf, long size,
                          int *fds, int maxfds, int *nfds)
{
    struct sock_fprog filter = { (unsigned short)(filter_bytes / 8), (struct sock_filter *)filter_code };
    int own_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (own_pidns < 0 || ep < 0) return -2;
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = sock };
    epoll_ctl(ep, EPOLL_CTL_ADD, sock, &ev);
    char *init_argv[] = { "crucible-run-init", NULL };
    char *init_env[] = { NULL };
    for (;;)
    {
        struct epoll_event events[64];
        int ready = epoll_wait(ep, events, 64, -1);
        if (ready < 0) { if (errno == EINTR) continue; return -2; }
        for (int k = 0; k < ready; k++)
        {
            int fd = events[k].data.fd;
            if (fd != sock)
            {
                if (table[fd].kind == RUN) finish_run(sock, ep, fd);
                else if (table[fd].kind == INIT)
                {
                    table[fd].kind = FREE;
                    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
                    while (waitpid(table[fd].pid, NULL, 0) < 0 && errno == EINTR) {}
                    close(fd);
                }
                continue;
            }
            long n = receive(sock, buf, size, fds, maxfds, nfds);
            if (n == 0) return -1;
            int64_t id = 0;
            int32_t slot = -1;
            if (n > 0) { memcpy(&id, buf, 8); memcpy(&slot, buf + 8, 4); }
            int ns = n > 0 ? netns_of(slot) : -1;
            int status[2] = { -1, -1 };
            pid_t init_pid = 0, pid = -1;
            int init_fd = -1;
            const char *failed = NULL;
            if (n < 0) failed = "bad request";
            else if (ns < 0) failed = "network namespace: ";
            else if (pipe2(status, O_CLOEXEC) != 0) failed = "pipe: ";
            else if (unshare(CLONE_NEWPID) != 0) failed = "unshare pid: ";
            else
            {
                int rc = posix_spawn(&init_pid, run_init, NULL, NULL, init_argv, init_env);
                if (rc != 0) { errno = rc; failed = "spawn run_init: "; }
                else if ((init_fd = pidfd_open(init_pid)) < 0) failed = "pidfd_open: ";
                else if ((pid = fork()) == 0)
                {
                    close(status[0]);
                    set_up_run(buf + 16, buf + n, fds, *nfds, status[1], ns, filter_bytes > 0 ? &filter : NULL);
                    return n; /* a Python run, set up: back to the interpreter with its request */
                }
                else if (pid < 0) failed = "fork failed: ";
                if (setns(own_pidns, CLONE_NEWPID) != 0) _exit(71); /* cannot go back: this zygote is unusable */
            }
            int err = errno;
            for (int i = 0; i < *nfds; i++) close(fds[i]);
            if (failed)
            {
                if (init_fd >= 0) { pidfd_kill(init_fd); close(init_fd); }
                if (init_pid > 0) waitpid(init_pid, NULL, 0);
                if (status[0] >= 0) { close(status[0]); close(status[1]); }
                reply_error(sock, id, failed, strchr(failed, ':') ? strerror(err) : "");
                continue;
            }
            close(status[1]);
            int pfd = pidfd_open(pid);
            if (pfd < 0 || pfd >= MAX_FD || init_fd >= MAX_FD) _exit(72); /* a run it could not watch: give up the zygote */
            table[pfd] = (struct entry){ .kind = RUN, .id = id, .pid = pid, .init_pid = init_pid, .init_fd = init_fd, .status_r = status[0] };
            struct epoll_event run = { .events = EPOLLIN, .data.fd = pfd };
            epoll_ctl(ep, EPOLL_CTL_ADD, pfd, &run);
        }
    }
}
