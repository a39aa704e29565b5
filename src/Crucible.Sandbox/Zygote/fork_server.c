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
 * (pid 2; a run that execs starts in a child sharing this process's memory until its execve, see spawn_exec_run), and
 * back to the zygote's pid namespace. The program process (run_setup.c) joins its cgroup slot, gets its own
 * mount/ipc/uts/cgroup namespaces and the slot's empty network namespace, fresh size-capped tmpfs for /work, /tmp,
 * /dev/shm and /box, a fresh /proc, then drops to the slot's uid (empty capability bounding set, no_new_privs), its
 * rlimits and the seccomp filter, and execs (compiled programs, launchers) or returns to Python (Python programs).
 * When it ends: kill the init (the kernel ends what is left in the namespace), reap both, and reply
 * {"id": n, "exit" | "signal" | "killed" | "error": ...} on the control socket. A failed set-up writes "E<why>" on the
 * status pipe: the reply is an error (a sandbox failure), never the program's verdict.
 *
 * A warm runner (header flag 1, docs/sandbox.md "Zygotes") is forked the same way but without an init: it becomes
 * pid 1 of its pid namespace itself, serves the session's runs for its lifetime, and is reported like a run when it ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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
    int outside = e.init_fd >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && exiting(e.init_pid);
    if (e.init_fd >= 0) /* a warm runner has no init: it is pid 1 itself, and its end ends the namespace */
    {
        pidfd_kill(e.init_fd);
        table[e.init_fd] = (struct entry){ .kind = INIT, .pid = e.init_pid };
        struct epoll_event ev = { .events = EPOLLIN, .data.fd = e.init_fd };
        epoll_ctl(ep, EPOLL_CTL_ADD, e.init_fd, &ev);
    }
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

/*
 * Starts run_init: vfork + execve with every signal blocked. posix_spawn did the same, but first, in its child, asked
 * for and reset the disposition of every signal (~130 system calls in every run): that child shares the zygote's
 * memory and must not run one of the zygote's handlers. With every signal blocked none can run before execve, which
 * itself resets the handled ones; run_init starts with them blocked (it waits for SIGCHLD, and needs no other).
 * Returns 0, or the errno of the failed vfork or execve.
 */
static int spawn_init(const char *path, char *const argv[], char *const envp[], pid_t *out)
{
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    volatile int exec_errno = 0; /* written by the child, which shares this memory until its execve */
    pid_t pid = vfork();
    if (pid == 0)
    {
        execve(path, argv, envp);
        exec_errno = errno;
        _exit(127);
    }
    int err = pid < 0 ? errno : exec_errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (pid > 0 && err != 0) waitpid(pid, NULL, 0);
    if (err == 0) *out = pid;
    return err;
}

/* Once per zygote, before its loop (run_setup.c). */
void crucible_prepare_zygote(void) __attribute__((visibility("hidden")));

/* The forked run's own set-up (run_setup.c): returns only for a Python run. */
void crucible_set_up_run(const char *body, const char *end, int *fds, int nfds, int status_w, int netns,
                         const struct sock_fprog *filter) __attribute__((visibility("hidden")));
extern void *crucible_run_allocation __attribute__((visibility("hidden")));

/*
 * A run that execs (compiled programs, other interpreters) starts in a child that shares the zygote's memory until its
 * execve (clone with CLONE_VM | CLONE_VFORK, as posix_spawn does; the zygote waits meanwhile), instead of a fork: no
 * copy of the zygote's page tables to make and then tear down at the execve, and no page of the zygote write-protected
 * and faulted on again. Timed from a process with 6 MB of its own memory (bench/ab/spawn-vm.c): 1.5 -> 0.5 ms of CPU per
 * spawn. The child runs only the set-up below before its execve, with its own descriptor table, credentials and signal
 * dispositions (no CLONE_FILES, CLONE_SIGHAND); what it writes in the shared memory is its stack (exec_stack), errno,
 * and the request's argv array, freed by the zygote when the child has gone.
 */
#define EXEC_STACK (256 << 10)
static char exec_stack[EXEC_STACK] __attribute__((aligned(64)));

struct exec_run { const char *body, *end; int *fds; int nfds, status_w, netns; const struct sock_fprog *filter; };

static int exec_child(void *p)
{
    const struct exec_run *a = p;
    crucible_set_up_run(a->body, a->end, a->fds, a->nfds, a->status_w, a->netns, a->filter);
    _exit(127); /* not reached: an exec run's set-up execs or exits */
}

/* Starts an exec run's process (see exec_stack); its pid, or -1 with errno set. */
static pid_t spawn_exec_run(struct exec_run *run)
{
    sigset_t all, old;
    sigfillset(&all); /* no handler of the zygote's may run in the child, which shares its memory */
    sigprocmask(SIG_SETMASK, &all, &old);
    pid_t pid = clone(exec_child, exec_stack + EXEC_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, run);
    int err = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(crucible_run_allocation);
    crucible_run_allocation = NULL;
    errno = err;
    return pid;
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
    crucible_prepare_zygote();
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
            int32_t slot = -1, flags = 0;
            if (n > 0) { memcpy(&id, buf, 8); memcpy(&slot, buf + 8, 4); memcpy(&flags, buf + 12, 4); }
            /* A warm runner (flag 1) holds no slot: it gets a network namespace of its own, made in its process. */
            int runner = (flags & 1) != 0;
            int ns = n > 0 && !runner ? netns_of(slot) : -1;
            int status[2] = { -1, -1 };
            pid_t init_pid = 0, pid = -1;
            int init_fd = -1;
            const char *failed = NULL;
            if (n < 0) failed = "bad request";
            else if (ns < 0 && !runner) failed = "network namespace: ";
            else if (pipe2(status, O_CLOEXEC) != 0) failed = "pipe: ";
            else if (unshare(CLONE_NEWPID) != 0) failed = "unshare pid: ";
            else if (runner)
            {
                /* The runner is pid 1 of its namespace: the runs it forks cannot kill or stop it (the kernel ignores
                 * signals from inside the namespace that pid 1 has no handler for), and when it ends, they all end. */
                if ((pid = fork()) == 0)
                {
                    close(status[0]);
                    crucible_set_up_run(buf + 16, buf + n, fds, *nfds, status[1], -1, filter_bytes > 0 ? &filter : NULL);
                    return n;
                }
                if (pid < 0) failed = "fork failed: ";
                if (setns(own_pidns, CLONE_NEWPID) != 0) _exit(71);
            }
            else
            {
                int rc = spawn_init(run_init, init_argv, init_env, &init_pid);
                if (rc != 0) { errno = rc; failed = "spawn run_init: "; }
                else if ((init_fd = pidfd_open(init_pid)) < 0) failed = "pidfd_open: ";
                else if (n >= 21 && memcmp(buf + 16, "exec", 5) == 0)
                {
                    struct exec_run run = { buf + 16, buf + n, fds, *nfds, status[1], ns, filter_bytes > 0 ? &filter : NULL };
                    if ((pid = spawn_exec_run(&run)) < 0) failed = "clone failed: ";
                }
                else if ((pid = fork()) == 0)
                {
                    close(status[0]);
                    crucible_set_up_run(buf + 16, buf + n, fds, *nfds, status[1], ns, filter_bytes > 0 ? &filter : NULL);
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
