"""Tried for issue 13, not kept (docs/hot-path.md "Sessions 13 and 14"): does writing ahead, right after fork, the
pages a trivial Python run is known to copy (MADV_POPULATE_WRITE on ranges a learning child read from
/proc/self/pagemap: present and exclusively mapped) make each child cheaper than taking those faults one by one?
An interpreter with the zygote's preloads forks 200 children per round, alternately without and with populating.
Usage: /usr/bin/python3 bench/ab/populate-ahead.py"""
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
    print("faults/child", (resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - f0) / n, file=sys.stderr)
    return (t1.children_user + t1.children_system - t0.children_user - t0.children_system) / n * 1000, (time.time() - w0) / n * 1000

for rnd in range(3):
    for p in (False, True):
        cpu, wall = run(200, p)
        print(f"populate={p} child cpu {cpu:.2f} ms wall {wall:.2f} ms", file=sys.stderr)
