"""Tried for issue 13 (docs/hot-path.md "Sessions 13 and 14" and "Session 15"): how should a forked child get the
pages a trivial Python run is known to copy (ranges a learning child read from /proc/self/pagemap: present and
exclusively mapped)? An interpreter with the zygote's preloads forks 300 children per round, three rounds.
  populate   (session 14, not kept): alternately without and with MADV_POPULATE_WRITE on those ranges in each child
  none       (session 15): children take their copy-on-write faults
  learned    (session 15, kept as Zygote/hot_pages.c): the parent pins the learned ranges (io_uring fixed buffers),
             so fork copies those pages at once
  all        (session 15): the parent pins all its writable private memory
Usage: /usr/bin/python3 bench/ab/populate-ahead.py [populate|none|learned|all]"""
import os, sys, gc, ctypes, time, struct, io
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "Crucible.Sandbox", "Runner"))
import warm_runner
warm_runner.preload("")
libc = ctypes.CDLL(None, use_errno=True)
libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
MADV_POPULATE_WRITE = 23
SRC = "x = [i*2 for i in range(10)]\nprint(sum(x))\n"

def work():
    g = {"__name__": "__main__"}
    exec(compile(SRC, "/box/main.py", "exec"), g)
    sys.stdout.flush()

def hot_ranges():
    ranges = []
    with open("/proc/self/maps") as f:
        maps = [l.split() for l in f]
    pm = os.open("/proc/self/pagemap", os.O_RDONLY)
    for m in maps:
        if len(m) < 2 or m[1] != "rw-p": continue
        if len(m) >= 6 and m[5] in ("[stack]", "[vvar]"): pass
        a, b = (int(x, 16) for x in m[0].split("-"))
        data = os.pread(pm, (b - a) // 4096 * 8, (a // 4096) * 8)
        start = None
        for i in range((b - a) // 4096):
            e = struct.unpack_from("<Q", data, i * 8)[0]
            hot = (e >> 63) & 1 and (e >> 56) & 1
            if hot and start is None: start = a + i * 4096
            if not hot and start is not None: ranges.append((start, a + i * 4096 - start)); start = None
        if start is not None: ranges.append((start, b - start))
    os.close(pm)
    return ranges

gc.collect(); gc.freeze()
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    devnull = os.open("/dev/null", os.O_WRONLY); os.dup2(devnull, 1)
    work()
    rs = hot_ranges()
    os.write(w, repr(rs).encode()); os._exit(0)
os.close(w)
data = b""
while True:
    chunk = os.read(r, 65536)
    if not chunk: break
    data += chunk
os.waitpid(pid, 0)
RANGES = eval(data)
print("learned", len(RANGES), "ranges,", sum(n for _, n in RANGES) // 4096, "pages", file=sys.stderr)


class iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def pin(ranges):
    libc.syscall.restype = ctypes.c_long
    params = ctypes.create_string_buffer(120)  # struct io_uring_params, zeroed
    fd = libc.syscall(425, 1, params)  # io_uring_setup
    if fd < 0:
        raise OSError(ctypes.get_errno(), "io_uring_setup")
    arr = (iovec * len(ranges))(*[iovec(a, n) for a, n in ranges])
    if libc.syscall(427, fd, 0, arr, len(ranges)) < 0:  # io_uring_register(IORING_REGISTER_BUFFERS)
        raise OSError(ctypes.get_errno(), "io_uring_register")
    return fd


def writable():
    out = []
    for line in open("/proc/self/maps"):
        m = line.split()
        if m[1] != "rw-p" or (len(m) >= 6 and m[5] in ("[stack]", "[vvar]", "[vsyscall]")):
            continue
        a, b = (int(x, 16) for x in m[0].split("-"))
        out.append((a, b - a))
    return out


def run(n, populate):
    import resource
    f0 = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
    t0 = os.times(); w0 = time.time()
    for _ in range(n):
        pid = os.fork()
        if pid == 0:
            if populate:
                for a, l in RANGES: libc.madvise(a, l, MADV_POPULATE_WRITE)
            devnull = os.open("/dev/null", os.O_WRONLY); os.dup2(devnull, 1)
            work()
            os._exit(0)
        os.waitpid(pid, 0)
    t1 = os.times()
    faults = (resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - f0) / n
    child = (t1.children_user + t1.children_system - t0.children_user - t0.children_system) / n * 1000
    parent = (t1.user + t1.system - t0.user - t0.system) / n * 1000
    return child, parent, (time.time() - w0) / n * 1000, faults


mode = sys.argv[1] if len(sys.argv) > 1 else "populate"
if mode == "learned":
    pin(RANGES)
elif mode == "all":
    pin(writable())
for rnd in range(3):
    for p in ((False, True) if mode == "populate" else (False,)):
        child, parent, wall, faults = run(300, p)
        print(f"{mode}{' populate=' + str(p) if mode == 'populate' else ''}: child cpu {child:.2f} ms, parent {parent:.2f} ms"
              f" per fork, wall {wall:.2f} ms, faults/child {faults:.0f}", file=sys.stderr)
