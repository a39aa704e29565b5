# Crucible warm runner. Runs inside the session's sandbox as the session's uid, started once per session (or
# pre-started), so a test pays a fork instead of an interpreter start and a sandbox set-up.
#
# Protocol over the unix socket /io/ctl.sock, or (started from a zygote, zygote.py) a socket the host handed over
# (one JSON object per message; the host sends file descriptors with SCM_RIGHTS alongside "run"):
#   host -> {"op": "load", "mode": "python"|"exec", "argv": [...]}     runner -> {"ok": true}
#   host -> {"op": "run", "args": [...], "rlimits": {...}} + 3 fds    runner -> {"pid": <pid in the sandbox>}
#   host -> {"op": "go"}  (after moving the child into the run's cgroup)
#   runner -> {"exit": code} | {"signal": n}
# The verdict is decided by the host; this process only forks, waits and reports the wait status.
import os, sys, json, socket, signal, resource, ctypes, gc, select
import _signal
# Imported here, not in run_python_child: three import statements in every zygote run's process wrote ~20 pages it
# shares with the zygote (sys.modules and the modules' reference counts), each a copy-on-write fault.
import atexit, builtins, types

# Imported once in the runner so each child gets them for free. Kept lean: a runner is started per submission,
# so every module here is paid once per submission. Heavier ones are imported only when the source names them.
# "ast" and "base64" are the judge's harness's own imports (it runs around every function-call and assertion test):
# imported per run instead, they cost ~2 ms of each judged run's CPU.
PRELOAD = ["math", "re", "collections", "itertools", "functools", "heapq", "bisect", "string", "typing", "json",
           "copy", "operator", "io", "traceback", "atexit", "types", "ast", "base64"]
ON_DEMAND = ["numpy", "random", "fractions", "decimal", "statistics", "dataclasses", "datetime", "hashlib", "array"]


def preload(source_text=""):
    names = PRELOAD + [m for m in ON_DEMAND if m in source_text]
    for name in names:
        try:
            __import__(name)
        except Exception:
            pass


def not_dumpable():
    # Children run as the same uid: without this they could ptrace the runner or open its /proc/<pid>/fd.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:
        pass


LOADED = {"code": None}


def load_python(path):
    # Compiled once per submission; a syntax error is left for the child to raise, exactly as a cold start would.
    sys.path.insert(0, os.path.dirname(path))
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError:
        LOADED["code"] = None
        return
    preload(source.decode("utf-8", "replace"))
    try:
        LOADED["code"] = compile(source, path, "exec", dont_inherit=True)
    except BaseException:
        LOADED["code"] = None


def run_python_child(path, args):
    sys.argv = [path] + list(args)
    code = 0
    try:
        compiled = LOADED["code"]
        if compiled is None:
            with open(path, "rb") as f:
                compiled = compile(f.read(), path, "exec", dont_inherit=True)
        main = types.ModuleType("__main__")
        main.__file__ = path
        main.__builtins__ = builtins
        sys.modules["__main__"] = main
        exec(compiled, main.__dict__)
    except SystemExit as e:
        c = e.code
        if c is None:
            code = 0
        elif isinstance(c, int):
            code = c & 0xFF
        else:
            try:
                sys.stderr.write(str(c) + "\n")
            except Exception:
                pass
            code = 1
    except BaseException as e:
        # Report as the interpreter would for the script itself: the runner's own frames are not the program's.
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
            tb = tb.tb_next
        try:
            sys.excepthook(type(e), e.with_traceback(tb), tb)
        except BaseException:
            pass
        code = 1
    try:
        atexit._run_exitfuncs()
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            if code == 0:
                code = 120
    os._exit(code)


# The dispositions a program starts with, as a plain start gives them: `python3` ignores SIGPIPE and SIGXFSZ and
# turns SIGINT into KeyboardInterrupt; a compiled program (exec'd) ignores and catches nothing. Set explicitly because
# the processes a run is forked from are Python processes with handlers of their own, and an ignored signal stays
# ignored across exec: a C++ program past its file-size limit must be killed by SIGXFSZ in every mode, not see EFBIG.
IGNORED_BY_PYTHON = (signal.SIGPIPE, signal.SIGXFSZ)
HANDLED_BY_RUNNERS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM,
                      signal.SIGCHLD, signal.SIGPROF)


def _ignored_at_start():
    """The signals this interpreter found ignored when it started (Python reads every disposition then)."""
    found = []
    for sig in signal.valid_signals():
        if sig in HANDLED_BY_RUNNERS or sig in IGNORED_BY_PYTHON:
            continue
        try:
            if signal.getsignal(sig) == signal.SIG_IGN:
                found.append(sig)
        except (OSError, ValueError):
            pass
    return tuple(found)


_INHERITED_IGNORED = _ignored_at_start()  # read once, where this module loads (a zygote, a runner), not per run


# start_signals runs in every zygote run's process before the program: signal.signal is the enum-converting wrapper of
# _signal.signal, and its enum look-ups write reference counts and specialisation counters on ~55 pages the process
# shares with its zygote, each a copy-on-write fault (~16 us each on a VM where faults trap to the host). The same
# calls with plain numbers, precomputed here, touch ~10; the dispositions set and what signal.getsignal reports
# afterwards are the same (the wrapper passes the same numbers).
_RESET = tuple(int(s) for s in HANDLED_BY_RUNNERS + IGNORED_BY_PYTHON)
_RESET_INHERITED = tuple(int(s) for s in _INHERITED_IGNORED)
_IGNORE = tuple(int(s) for s in IGNORED_BY_PYTHON)
_DFL, _IGN, _INT = int(signal.SIG_DFL), int(signal.SIG_IGN), int(signal.SIGINT)


def start_signals(python):
    for sig in _RESET:
        _signal.signal(sig, _DFL)
    # A signal the host itself was started with ignored (a server under nohup, a shell's background job: SIGQUIT)
    # stays ignored down every fork and exec to here; a plain start would not have it.
    for sig in _RESET_INHERITED:
        try:
            _signal.signal(sig, _DFL)
        except (OSError, ValueError):
            pass
    if python:
        for sig in _IGNORE:
            _signal.signal(sig, _IGN)
        _signal.signal(_INT, signal.default_int_handler)


def child(mode, argv, args, fds, rlimits, gate):
    try:
        signal.set_wakeup_fd(-1)  # the runner's wake-up pipe: its number may be a file of the program's later
        os.setsid()
        os.read(gate, 1)  # wait until the host has put us in the run's cgroup
        os.close(gate)
        for i, fd in enumerate(fds):
            os.dup2(fd, i)
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd > 2:
                try:
                    os.close(fd)
                except OSError:
                    pass
        for name, (soft, hard) in rlimits.items():
            resource.setrlimit(getattr(resource, name), (soft, hard))
        try:
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("1000")
        except OSError:
            pass
        os.chdir("/work")
        start_signals(python=mode != "exec")
        if mode == "exec":
            os.execv(argv[0], list(argv) + list(args))
        enc = "utf-8"
        sys.stdin = open(0, "r", encoding=enc, closefd=False)
        sys.stdout = open(1, "w", encoding=enc, closefd=False)
        sys.stderr = open(2, "w", encoding=enc, closefd=False, buffering=1)
        sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr
        gc.enable()
        run_python_child(argv[0], args)
    except BaseException as e:
        try:
            os.write(2, ("crucible runner: " + repr(e) + "\n").encode())
        except OSError:
            pass
        os._exit(127)


# Wait statuses of children reaped by the SIGCHLD handler. A runner started from a zygote is pid 1 of its namespace,
# so whatever a run orphans is re-parented here and must be reaped at once (a zombie would stay visible on the
# host as a process of the session's uid); the handler reaps everything, the run's own child included.
EXITED = {}


def reap(*_):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        EXITED[pid] = status


def wait_for(pid):
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # the handler reaped it first
        return EXITED.pop(pid)


def main():
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.connect("/io/ctl.sock")
    serve(sock)


def serve(sock):
    not_dumpable()
    # A Python signal handler runs only between bytecodes: a SIGCHLD that arrives after the last check and before a
    # blocking read would wait for the host's next request, leaving a dead orphan visible as a zombie of the session's
    # uid meanwhile. The wake-up pipe gets a byte for every signal, so waiting on it with the socket cannot miss one.
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, reap)
    mode, argv = "exec", []

    def send(obj):
        sock.send((json.dumps(obj)).encode())

    def recv():
        while True:
            ready = select.select([sock, wake_r], [], [])[0]
            if wake_r in ready:
                try:
                    os.read(wake_r, 4096)
                except BlockingIOError:
                    pass
                reap()
            if sock in ready:
                break
        data, fds, _, _ = socket.recv_fds(sock, 1 << 20, 3)
        if not data:
            for fd in fds:
                os.close(fd)
            return None, []
        return json.loads(data), fds

    preload()
    send({"ready": True})
    while True:
        req, fds = recv()
        if req is None:
            return
        op = req.get("op")
        if op == "load":
            mode, argv = req["mode"], req["argv"]
            if mode == "python":
                load_python(argv[0])
                gc.collect()
                gc.freeze()  # forked children then do not dirty the runner's pages when they collect
            send({"ok": True})
        elif op == "run":
            if len(fds) != 3:
                send({"error": "expected 3 fds, got %d" % len(fds)})
                for fd in fds:
                    os.close(fd)
                continue
            rlimits = {k: tuple(v) for k, v in req.get("rlimits", {}).items()}
            gate_r, gate_w = os.pipe()
            EXITED.clear()
            pid = os.fork()
            if pid == 0:
                os.close(gate_w)
                sock.close()
                child(mode, argv, req.get("args", []), fds, rlimits, gate_r)
            os.close(gate_r)
            for fd in fds:
                os.close(fd)
            send({"pid": pid})
            go, extra = recv()
            for fd in extra:
                os.close(fd)
            if go is not None and go.get("op") == "go":
                os.write(gate_w, b"g")
            os.close(gate_w)
            status = wait_for(pid)
            if os.WIFSIGNALED(status):
                send({"signal": os.WTERMSIG(status)})
            else:
                send({"exit": os.WEXITSTATUS(status)})
            if go is None:
                return
        else:
            send({"error": "unknown op"})


if __name__ == "__main__":
    main()
