# Crucible zygote. One per language flavour, started once inside a bubblewrap root (curated read-only binds, no
# network) as root with only CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID, CAP_SETPCAP, CAP_SYS_NICE and CAP_IPC_LOCK. It
# preloads what its flavour's runs use, then hands the process to its native loop (fork_server.c, built with run_init.c
# from source and installed beside this file), which never returns here except inside a run's own process: the loop forks each
# run, sets it up (namespaces, cgroup slot, mounts, uid, rlimits, seccomp) and execs it, or, for a Python run, returns
# to the code below to execute the program in this preloaded interpreter. The zygote never reads submitted code: a
# Python run reads it from /box in its own process.
#
# Protocol on /io/ctl.sock (SOCK_SEQPACKET, one message each):
#   zygote -> {"ready": true}
#   host -> a request (ZygoteRequest.Encode: 16-byte header with the run id and cgroup slot, then NUL-terminated
#           fields) with descriptors [code, stdin, stdout, stderr, cgroup.procs...] (SCM_RIGHTS)
#   zygote -> {"id": n, "exit": code} | {"id": n, "signal": s} | {"id": n, "error": "why the set-up failed"}
#             | {"id": n, "killed": s}  (the run's init was killed from outside)
# A request of mode "runner" (header flag 1) starts a session's warm runner instead of a run: set up like a run but
# with the session's work dir, the runner's box dir and its own control socket (descriptor 3), it serves
# warm_runner.py's protocol on that socket until the host ends it, and is reported like a run when it ends.
import os, sys, json, socket, ctypes, gc, mmap, atexit

# The host starts the zygote with LD_BIND_NOW (ZygoteProcess): the binding is done by now, and the programs this
# zygote runs (Python runs, and exec'd ones through environ) must start with the environment a cold run gives them.
os.environ.pop("LD_BIND_NOW", None)

sys.path.insert(0, "/runner")
import warm_runner  # the per-child Python execution (argv, __main__, exit codes) is shared with warm runners

RUN_INIT = "/runner/run_init"
STREAMS = ((0, "r", 0, "__stdin__"), (1, "w", -1, "__stdout__"), (2, "w", 1, "__stderr__"))
STDIO_READY = False  # set in main, once: the interpreter's stdio objects are on descriptors 0-2
BASE_PATH = []  # set in main, once: the module path a run's program sees after its own directory
FORK_SERVER = "/runner/fork_server.so"


def reseed():
    # The zygote's random state is shared by every fork: each run gets fresh entropy, as a new interpreter would.
    # (The random module, when a preloaded module imported it, reseeds itself after a fork: PyOS_AfterFork_Child
    # runs its hook.)
    np = sys.modules.get("numpy")
    if np is not None:
        try:
            np.random.seed()
        except Exception:
            pass


def run_python(fields):
    """A Python run's program process, already set up by the native loop (its uid, limits and seccomp filter in
    place). Never returns."""
    try:
        # fields: mode, source, file, uid, work, tmp, inodes, artifact, R, R x (resource, soft, hard), argc, argv..., n, args...
        path = fields[2].decode()
        i = 9 + 3 * int(fields[8])
        i += 1 + int(fields[i])
        args = [a.decode() for a in fields[i + 1:i + 1 + int(fields[i])]]
        # The interpreter's own stdio objects are on descriptors 0-2, which are now the run's pipes: they are what a
        # fresh `python3 main.py` would have made (the zygote never read stdin and flushed its output before forking).
        # Whether they are there was checked once in the zygote (STDIO_READY): each object looked at here is a page
        # written, a copy-on-write fault in every run.
        if not STDIO_READY:
            for fd, how, buffering, name in STREAMS:
                if getattr(sys, name) is None or getattr(sys, name).fileno() != fd:
                    setattr(sys, name, open(fd, how, encoding="utf-8", closefd=False, buffering=buffering))
        sys.stdin, sys.stdout, sys.stderr = sys.__stdin__, sys.__stdout__, sys.__stderr__
        reseed()
        # The native set-up left every signal at its default; the interpreter's own table still holds what the
        # zygote started with. Make both what a plain `python3` starts with.
        warm_runner.start_signals(python=True)
        sys.path[:] = [os.path.dirname(path)] + BASE_PATH
        warm_runner.LOADED["code"] = None  # compiled from /box in this process: the zygote never sees the code
        gc.enable()
        warm_runner.run_python_child(path, args)
    except BaseException as e:
        try:
            os.write(2, ("crucible zygote: " + repr(e) + "\n").encode())
        except OSError:
            pass
        os._exit(127)


def run_runner():
    """A warm runner's process, set up by the native loop as pid 1 of its own namespaces, its control socket on
    descriptor 3. Serves the session's runs (warm_runner.serve) and never returns."""
    try:
        for fd, how, buffering, name in ((0, "r", 0, "__stdin__"), (1, "w", -1, "__stdout__"), (2, "w", 1, "__stderr__")):
            if getattr(sys, name) is None or getattr(sys, name).fileno() != fd:
                setattr(sys, name, open(fd, how, encoding="utf-8", closefd=False, buffering=buffering))
        sys.stdin, sys.stdout, sys.stderr = sys.__stdin__, sys.__stdout__, sys.__stderr__
        sys.path[:] = [p for p in sys.path if p != "/runner"]
        reseed()
        gc.enable()
        warm_runner.serve(socket.socket(fileno=3))
        os._exit(0)
    except BaseException as e:
        try:
            os.write(2, ("crucible zygote runner: " + repr(e) + "\n").encode())
        except OSError:
            pass
        os._exit(127)


def serve(sock, seccomp, python):
    """The native loop. Returns when the host closed the socket; a Python run's process leaves it to run its program."""
    lib = ctypes.PyDLL(FORK_SERVER)  # keeps the GIL held: a Python run continues in this same interpreter
    # An anonymous mapping, not a zero-filled buffer: only the pages a request is written to become resident, so
    # every fork does not copy the page-table entries of a megabyte of zeros. Private: a run reads its request from
    # its own copy while the zygote receives the next one (Python's default, MAP_SHARED, would hand it that one).
    area = mmap.mmap(-1, 1 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if python:
        # Runs go on in this interpreter: its code and read-only data reach each run's process already mapped
        # (shared_code.c), and the pages every run writes are copied into it by fork (hot_pages.c). Last, after
        # every import, so that no mapping is added after it.
        lib.crucible_share_code()
        pin_hot_pages(lib, area)
    loop = lib.crucible_fork_server
    loop.restype = ctypes.c_long
    pint = ctypes.POINTER(ctypes.c_int)
    loop.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_long, ctypes.c_void_p, ctypes.c_long, pint, ctypes.c_int, pint]
    after_fork = ctypes.pythonapi.PyOS_AfterFork_Child  # looked up here, not in every run
    after_fork.restype, after_fork.argtypes = None, []
    buf = ctypes.addressof(ctypes.c_char.from_buffer(area))
    fds = (ctypes.c_int * 16)()
    nfds = ctypes.c_int()
    n = loop(sock.fileno(), RUN_INIT.encode(), seccomp, len(seccomp), buf, len(area), fds, 16, ctypes.byref(nfds))
    if n == -1:
        return
    if n < 0:
        raise OSError("the zygote's native loop failed to start")
    after_fork()  # the fork happened in C: the interpreter's own after-fork work (and at-fork hooks), here
    run_request(area, n)


def run_request(area, n):
    """A run's process from its request in the area, n bytes long. Never returns."""
    # Sliced from the mapping rather than read through ctypes.string_at: fewer objects made, fewer of the pages shared
    # with the zygote written (each a copy-on-write fault in this run's process).
    fields = area[16:n].split(b"\0")
    if fields[0] == b"runner":
        run_runner()
    run_python(fields)


LEARNING_PROGRAM = b"import sys\nx = [i * 2 for i in range(10)]\nprint('ok', sum(x))\nsys.stdout.flush()\n"


def pin_hot_pages(lib, area):
    """Has fork copy into each run the pages a run writes (hot_pages.c): a learning run of a trivial program, forked
    and executed as a Python run is, reports the pages it made its own, and so does a test forked by a learning
    process set up as a warm runner that loaded the same program; the zygote pins the first set of them it has mapped,
    and its warm runners pin both."""
    report = lib.crucible_report_hot_pages
    report.restype, report.argtypes = ctypes.c_int, [ctypes.c_int]
    program = os.memfd_create("crucible-learning-run")
    os.write(program, LEARNING_PROGRAM)
    path = "/proc/self/fd/%d" % program
    # The request a run of it would get (ZygoteRequest.Encode): no rlimits, argv [path], no args.
    body = b"\0".join([b"python", b"1", path.encode(), b"0", b"0", b"0", b"0", b"", b"0", b"1", path.encode(), b"0"])
    area[16:16 + len(body)] = body

    def run(w):
        atexit.register(report, w)  # run_python_child runs the exit functions, then leaves
        run_request(area, 16 + len(body))

    def runner_test(w):
        warm_runner.load_python(path)
        gc.collect()
        gc.freeze()
        gate_r, gate_w = os.pipe()
        os.write(gate_w, b"g")
        if os.fork() == 0:
            # warm_runner.child closes every descriptor above 2: the report leaves on the test's stderr.
            atexit.register(report, 2)
            warm_runner.child("python", [path], [], [0, 1, w], {}, gate_r)
        os.wait()
        os._exit(0)

    ranges = learn(run)
    runner_ranges = learn(runner_test)
    os.close(program)
    if not ranges:
        sys.stderr.write("crucible zygote: the learning run reported no pages; runs copy them on write\n")
        return
    pin = lib.crucible_pin_hot_pages
    pin.restype, pin.argtypes = ctypes.c_long, [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    pinned = pin(ranges, len(ranges) // 2, runner_ranges, len(runner_ranges) // 2)
    if pinned < 0:
        sys.stderr.write("crucible zygote: pinning the pages runs write failed (%s); runs copy them on write\n"
                         % os.strerror(-pinned))


def learn(start):
    """Forks a learning process that calls start(w) and never returns; the (start, length) pairs it wrote on w, as
    an array of 64-bit numbers (empty when it wrote nothing whole)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            null = os.open("/dev/null", os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            start(w)
        finally:
            os._exit(127)
    os.close(w)
    found = bytearray()
    while True:
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        found += chunk
    os.close(r)
    os.waitpid(pid, 0)
    if len(found) % 16:
        found = bytearray()
    return (ctypes.c_uint64 * (len(found) // 8)).from_buffer(found)


def main():
    flavour = sys.argv[1] if len(sys.argv) > 1 else "python"
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: runs (another uid) cannot trace or open the zygote
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -5)  # dispatch is not starved by the runs it starts
    except OSError:
        pass
    try:
        with open("/runner/seccomp.bpf", "rb") as f:
            seccomp = f.read()
    except OSError:
        seccomp = b""
    if flavour.startswith("python"):
        # Not "random": imported here it would reseed itself in every run's process (its at-fork hook, ~90 µs of
        # the child's CPU in a one-off fork-and-exit timing), a cost every run pays; a program that imports it pays
        # ~0.5 ms instead, and gets fresh entropy at import as under a new interpreter.
        warm_runner.preload("numpy" if flavour == "python-numpy" else "")
        for name in sys.argv[2:]:  # modules the host asked for (SandboxPool.PreloadPythonModule), from /runner
            try:
                __import__(name)
            except Exception as e:
                sys.stderr.write("crucible zygote: preloading %s failed: %r\n" % (name, e))
    for d in ("/work", "/box"):
        os.makedirs(d, exist_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.connect("/io/ctl.sock")
    sys.stdout.flush()
    sys.stderr.flush()
    global STDIO_READY, BASE_PATH
    try:
        STDIO_READY = all(getattr(sys, name) is not None and getattr(sys, name).fileno() == fd for fd, _, _, name in STREAMS)
    except (OSError, ValueError):
        STDIO_READY = False  # each run then looks again and opens what is missing, as before
    BASE_PATH = [p for p in sys.path if p != "/runner"]
    gc.collect()
    gc.freeze()  # children do not dirty the zygote's pages when they collect
    sock.send(json.dumps({"ready": True}).encode())
    serve(sock, seccomp, flavour.startswith("python"))


if __name__ == "__main__":
    main()
