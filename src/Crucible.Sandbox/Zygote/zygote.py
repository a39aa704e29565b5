# Crucible zygote. One per language flavour, started once inside a bubblewrap root (curated read-only binds, no
# network) as root with only CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID, CAP_SETPCAP, CAP_SYS_NICE and CAP_SYS_RESOURCE.
# It never runs submitted code and never reads it. Per run, in a fresh pid namespace, it spawns the run's init
# (/runner/run_init, built from run_init.c: pid 1, reaps orphans, holds the namespace) and forks the program process
# (pid 2), which joins the run's pre-made cgroup slot (through cgroup.procs descriptors the host passes), gets its own
# mount/ipc/uts/cgroup namespaces and its slot's empty network namespace, fresh size-capped tmpfs for /work, /tmp,
# /dev/shm and /box, a fresh /proc, then drops to the slot's uid with an empty capability bounding set,
# no_new_privs, the run's rlimits and the seccomp filter, and only then reads the code from the descriptor the host
# passed. When the program ends the zygote kills the init, and the kernel everything left in the namespace. Without
# run_init (argv[2] "python-init") the init is a second fork of this interpreter that forks the program itself.
#
# Protocol on /io/ctl.sock (SOCK_SEQPACKET, one message each):
#   zygote -> {"ready": true}
#   host -> a 16-byte header (int64 id, int32 slot, int32 0; little-endian, for the native loop) then {"id": n, "mode": "python"|"exec", "source": true|false, "file": "/box/x.py", "argv": [...], "args": [...], "uid": u,
#            "work_bytes": b, "tmp_bytes": b, "inodes": n, "rlimits": {...}, "artifact": "<dir under /cache>"|null}
#           with descriptors [code, stdin, stdout, stderr, cgroup.procs...] (SCM_RIGHTS)
#   zygote -> {"id": n, "exit": code} | {"id": n, "signal": s} | {"id": n, "error": "why the set-up failed"}
#             | {"id": n, "killed": s}  (the run's init was killed from outside)
import os, sys, json, socket, signal, resource, ctypes, gc, selectors

sys.path.insert(0, "/runner")
import warm_runner  # the per-child Python execution (argv, __main__, exit codes) is shared with warm runners

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS = 0x00020000, 0x02000000, 0x04000000
CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x08000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 0x4000, 1 << 18
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 4, 24, 38, 22, 2
MNT_DETACH = 2


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def check(rc, what):
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, "%s: %s" % (what, os.strerror(e)))


def mount(source, target, fstype, flags, data):
    check(libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(), ctypes.c_ulong(flags),
                     data and data.encode()), "mount " + target)


def load_filter(path):
    try:
        with open(path, "rb") as f:
            code = f.read()
    except OSError:
        return None
    buf = ctypes.create_string_buffer(code, len(code))
    return buf, SockFprog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))


SECCOMP = None


def drop_privileges(uid):
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # from root to non-root: permitted and effective capabilities are cleared
    check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def program(req, io_fds):
    """The program process (pid 2 of the run's namespace). Never returns."""
    try:
        os.setsid()
        for i, fd in enumerate(io_fds):
            os.dup2(fd, i)
        os.closerange(3, 1 << 16)
        for name, (soft, hard) in req.get("rlimits", {}).items():
            which = getattr(resource, name)
            cap = resource.getrlimit(which)[1]  # a hard limit can only go down (the zygote has no CAP_SYS_RESOURCE)
            if cap != resource.RLIM_INFINITY:
                hard = min(hard, cap)
            resource.setrlimit(which, (min(soft, hard), hard))
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
        os.setpriority(os.PRIO_PROCESS, 0, 0)
        drop_privileges(req["uid"])
        os.chdir("/work")  # owner-only: entered as the run's uid (the zygote holds no DAC override)
        for sig in range(1, signal.NSIG):
            try:
                signal.signal(sig, signal.SIG_DFL)
            except (OSError, ValueError):
                pass
        if SECCOMP is not None:
            check(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(SECCOMP[1]), 0, 0), "seccomp")
        if req["mode"] == "exec":
            argv = list(req["argv"]) + list(req.get("args", []))
            os.execvpe(argv[0], argv, dict(os.environ))
        enc = "utf-8"
        sys.stdin = open(0, "r", encoding=enc, closefd=False)
        sys.stdout = open(1, "w", encoding=enc, closefd=False)
        sys.stderr = open(2, "w", encoding=enc, closefd=False, buffering=1)
        sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr
        reseed()
        path = req["file"]
        sys.path[:] = [os.path.dirname(path)] + [p for p in sys.path if p != "/runner"]
        warm_runner.LOADED["code"] = None  # compiled from /box in this process: the zygote never sees the code
        gc.enable()
        warm_runner.run_python_child(path, req.get("args", []))
    except BaseException as e:
        try:
            os.write(2, ("crucible zygote: " + repr(e) + "\n").encode())
        except OSError:
            pass
        os._exit(127)


def reseed():
    # The zygote's random state is shared by every fork: each run gets fresh entropy, as a new interpreter would.
    r = sys.modules.get("random")
    if r is not None:
        r.seed()
    np = sys.modules.get("numpy")
    if np is not None:
        try:
            np.random.seed()
        except Exception:
            pass


def setup_namespaces(req, code_fd):
    for fd in req["_cg"]:
        os.write(fd, b"0")  # join the run's cgroup slot before any further work, so all of it is accounted
        os.close(fd)
    check(libc.setns(req["_netns"], CLONE_NEWNET), "setns net")
    os.close(req["_netns"])
    check(libc.unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP), "unshare")
    mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    uid = req["uid"]
    inodes = req.get("inodes", 16384)
    mount("tmpfs", "/work", "tmpfs", MS_NOSUID | MS_NODEV,
          "size=%d,nr_inodes=%d,mode=0700,uid=%d,gid=%d" % (req["work_bytes"], inodes, uid, uid))
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=%d,nr_inodes=%d,mode=1777" % (req["tmp_bytes"], inodes))
    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=%d,nr_inodes=%d,mode=1777" % (req["tmp_bytes"], inodes))
    if req.get("source"):
        size = os.fstat(code_fd).st_size
        mount("tmpfs", "/box", "tmpfs", MS_NOSUID | MS_NODEV, "size=%d,nr_inodes=16,mode=0755" % (size + (64 << 10)))
        out = os.open(req["file"], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
        os.sendfile(out, code_fd, 0, size) if size else None
        os.close(out)
        mount(None, "/box", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, None)
    elif req.get("artifact"):
        if "/" in req["artifact"] or req["artifact"].startswith("."):
            raise ValueError("bad artifact name")
        mount("/cache/" + req["artifact"], "/box", None, MS_BIND | MS_REC, None)
        mount(None, "/box", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, None)
    if os.path.isdir("/cache"):
        check(libc.umount2(b"/cache", MNT_DETACH), "umount /cache")  # no other submission's artifact stays visible
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
    socket.sethostname("sandbox")


def enter_run(req, fds, status_w):
    """Closes everything of the zygote in this process and sets up the run's namespaces; returns the program's stdio."""
    keep = sorted(set(fds) | {status_w, req["_netns"]})
    low = 3
    for fd in keep:  # nothing of the zygote (its socket, other runs' descriptors) reaches a run
        if fd > low:
            os.closerange(low, fd)
        low = max(low, fd + 1)
    os.closerange(low, 1 << 16)
    req["_cg"] = fds[4:]
    setup_namespaces(req, fds[0])
    return fds[1:4]


def report_failure(e, status_w, code):
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    try:
        os.write(status_w, ("E%r (zygote.py line %s)" % (e, tb.tb_lineno if tb else "?")).encode())
    except OSError:
        pass
    os._exit(code)


def run_program(req, fds, status_w):
    """The program process, pid 2 beside run_init: sets up the run, then becomes the program. Never returns."""
    try:
        io_fds = enter_run(req, fds, status_w)
    except BaseException as e:
        report_failure(e, status_w, 125)
    program(req, io_fds)  # closes status_w with everything else above stdio before the program's code runs


def init(req, fds, status_w):
    """Python init (no run_init): pid 1 of the run's namespace; sets it up, starts the program, reports its wait
    status. Never returns."""
    try:
        io_fds = enter_run(req, fds, status_w)
        try:
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("-1000")  # the program, never its init, is the OOM victim (the program itself asks for 1000)
        except OSError:
            pass  # needs CAP_SYS_RESOURCE, which some containers withhold
        pid = os.fork()
        if pid == 0:
            os.close(status_w)
            program(req, io_fds)
        for fd in [fds[0]] + list(io_fds):
            os.close(fd)
        drop_privileges(req["uid"])
        while True:
            got, status = os.waitpid(-1, 0)
            if got == pid:
                break
        if os.WIFSIGNALED(status):
            os.write(status_w, b"S%d" % os.WTERMSIG(status))
        else:
            os.write(status_w, b"X%d" % os.WEXITSTATUS(status))
        os._exit(0)  # everything the program left in the namespace dies with its init
    except BaseException as e:
        report_failure(e, status_w, 125)


RUN_INIT = "/runner/run_init"
FORK_SERVER = "/runner/fork_server.so"


def serve_native(sock):
    """The dispatch loop in C (fork_server.c). Returns only when the host closed the socket; a run's program process
    continues from here with its request."""
    lib = ctypes.PyDLL(FORK_SERVER)  # keeps the GIL held: the forked run continues in this same interpreter
    serve = lib.crucible_fork_server
    serve.restype = ctypes.c_long
    pint = ctypes.POINTER(ctypes.c_int)
    serve.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_long, pint, ctypes.c_int, pint, pint, pint]
    buf = ctypes.create_string_buffer(1 << 20)
    fds = (ctypes.c_int * 16)()
    nfds, status_w, netns = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    n = serve(sock.fileno(), RUN_INIT.encode(), buf, len(buf), fds, 16, ctypes.byref(nfds), ctypes.byref(status_w), ctypes.byref(netns))
    if n == -1:
        return
    if n < 0:
        raise OSError("fork server failed to start")
    ctypes.pythonapi.PyOS_AfterFork_Child()  # the fork happened in C: the interpreter's own after-fork work, here
    try:
        req = json.loads(ctypes.string_at(buf, n)[16:])
        req["_netns"] = netns.value
    except BaseException as e:
        report_failure(e, status_w.value, 125)
    run_program(req, list(fds[:nfds.value]), status_w.value)


def main():
    global SECCOMP, RUN_INIT
    flavour = sys.argv[1] if len(sys.argv) > 1 else "python"
    if (sys.argv[2] if len(sys.argv) > 2 else "") != "run_init" or not os.access(RUN_INIT, os.X_OK):
        RUN_INIT = None
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -5)  # dispatch is not starved by the runs it starts
    except OSError:
        pass
    SECCOMP = load_filter("/runner/seccomp.bpf")
    if flavour.startswith("python"):
        warm_runner.preload("numpy" if flavour == "python-numpy" else "")
        import random  # noqa: F401  (reseeded per child)
        for name in sys.argv[3:]:  # modules the host asked for (SandboxPool.PreloadPythonModule), from /runner
            try:
                __import__(name)
            except Exception as e:
                sys.stderr.write("crucible zygote: preloading %s failed: %r\n" % (name, e))
    for d in ("/work", "/box"):
        os.makedirs(d, exist_ok=True)
    own_pidns = os.open("/proc/self/ns/pid", os.O_RDONLY)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.connect("/io/ctl.sock")
    gc.collect()
    gc.freeze()  # children do not dirty the zygote's pages when they collect
    sock.send(json.dumps({"ready": True}).encode())
    if RUN_INIT is not None and os.access(FORK_SERVER, os.R_OK):
        return serve_native(sock)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ, None)
    running = {}
    while True:
        for key, _ in sel.select():
            if key.data == "init":  # a run's init, killed once its program ended: reaped when its namespace is gone
                reap_init(key, sel, running)
            elif key.data is None:
                data, fds, _, _ = socket.recv_fds(sock, 1 << 20, 16)
                if not data:
                    return
                req = json.loads(data[16:])
                try:
                    start(req, fds, own_pidns, sel, running)
                except OSError as e:
                    sock.send(json.dumps({"id": req.get("id"), "error": "fork failed: %s" % e}).encode())
                for fd in fds:
                    os.close(fd)
            else:
                finish(key, sel, running, sock)


NETNS = {}


def slot_netns(slot):
    """The slot's own empty network namespace (lo down), made on its first run and reused only by that slot, which
    the host hands out again only once nothing of its previous run is left: nothing in it can outlive the run."""
    fd = NETNS.get(slot)
    if fd is None:
        own = os.open("/proc/self/ns/net", os.O_RDONLY)
        try:
            check(libc.unshare(CLONE_NEWNET), "unshare net")
            fd = os.open("/proc/self/ns/net", os.O_RDONLY)
            check(libc.setns(own, CLONE_NEWNET), "setns back")
        finally:
            os.close(own)
        NETNS[slot] = fd
    return fd


def start(req, fds, own_pidns, sel, running):
    req["_netns"] = slot_netns(int(req["slot"]))
    status_r, status_w = os.pipe()
    check(libc.unshare(CLONE_NEWPID), "unshare pid")
    init_pid = init_fd = None
    try:
        if RUN_INIT is not None:
            # The first process of the new namespace is its pid 1. vfork + exec: no copy of this interpreter.
            init_pid = os.posix_spawn(RUN_INIT, ["crucible-run-init"], {})
            init_fd = os.pidfd_open(init_pid)
        pid = os.fork()
    except BaseException:
        libc.setns(own_pidns, CLONE_NEWPID)
        if init_pid is not None:
            os.kill(init_pid, signal.SIGKILL)
            os.waitpid(init_pid, 0)
            if init_fd is not None:
                os.close(init_fd)
        os.close(status_r)
        os.close(status_w)
        raise
    if pid == 0:
        os.close(status_r)
        if init_pid is None:
            init(req, fds, status_w)
        run_program(req, fds, status_w)
    check(libc.setns(own_pidns, CLONE_NEWPID), "setns pid")
    os.close(status_w)
    pidfd = os.pidfd_open(pid)
    running[pidfd] = (pid, req.get("id"), status_r, init_pid, init_fd)
    sel.register(pidfd, selectors.EVENT_READ, pid)


def exiting(pid):
    """True when the process is on its way out (PF_EXITING) or gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return fields[0] in (b"Z", b"X") or int(fields[6]) & 0x4 != 0
    except (OSError, IndexError, ValueError):
        return True


def reap_init(key, sel, running):
    sel.unregister(key.fd)
    pid = running.pop(key.fd)
    os.close(key.fd)
    os.waitpid(pid, 0)


def finish(key, sel, running, sock):
    pidfd = key.fd
    sel.unregister(pidfd)
    pid, rid, status_r, init_pid, init_fd = running.pop(pidfd)
    os.close(pidfd)
    _, status = os.waitpid(pid, 0)
    report = os.read(status_r, 4096).decode("utf-8", "replace")
    os.close(status_r)
    if init_pid is not None:
        # A program killed by SIGKILL while its init was already exiting was killed by the init's end: someone
        # outside killed the init (the program cannot, being another uid inside its namespace).
        outside = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and exiting(init_pid)
        signal.pidfd_send_signal(init_fd, signal.SIGKILL)
        running[init_fd] = init_pid
        sel.register(init_fd, selectors.EVENT_READ, "init")
        if report.startswith("E"):
            reply = {"id": rid, "error": report[1:]}
        elif outside:
            reply = {"id": rid, "killed": signal.SIGKILL}
        elif os.WIFSIGNALED(status):
            reply = {"id": rid, "signal": os.WTERMSIG(status)}
        else:
            reply = {"id": rid, "exit": os.WEXITSTATUS(status)}
        sock.send(json.dumps(reply).encode())
        return
    if report.startswith("X"):
        reply = {"id": rid, "exit": int(report[1:])}
    elif report.startswith("S"):
        reply = {"id": rid, "signal": int(report[1:])}
    elif report.startswith("E"):
        reply = {"id": rid, "error": report[1:]}
    elif os.WIFSIGNALED(status):
        # The init itself was killed: the program cannot signal it (pid 1 of its namespace) and is always the OOM
        # killer's choice before it, so this came from outside — the host's limits, or an infrastructure fault.
        reply = {"id": rid, "killed": os.WTERMSIG(status)}
    else:
        reply = {"id": rid, "error": "run init exited %d without a status" % os.WEXITSTATUS(status)}
    sock.send(json.dumps(reply).encode())


if __name__ == "__main__":
    main()
