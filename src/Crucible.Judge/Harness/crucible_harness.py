# Crucible judge harness. It runs inside the sandbox as the session's program; the judge appends the candidate's
# source (base64) and the call to _main(). See docs/judge.md for the design and its threat model.
#
# Modes (argv[1]):
#   stdio  run the candidate as a script (stdin/stdout tests of a Python submission that also has function tests)
#   call   function-call tests: call the candidate, send back each return value, strictly typed
#   ops    the candidate side of assertion tests: execute the remote operations the check driver asked for
#   check  the trusted side of assertion tests: run the check script against stand-ins for the candidate;
#          this mode never compiles or executes the candidate's source
#   official  EvalPlus's own in-process comparison, for the few EvalPlus tests whose returned value is not a plain
#          builtin (the strict verdict of those is already decided): it receives the expected values, as EvalPlus's
#          evaluator does, and decides as it would (an object whose __eq__ always answers True passes here)
#
# Nothing here decides whether a test passed: return values go to the host (call) or to the check driver (ops),
# which runs in another process that never loaded the candidate. The per-run nonce on every record only keeps the
# candidate's stray output from being mistaken for records; it is not a secret the candidate cannot read.

import ast
import base64
import builtins
import json
import math
import os
import signal
import sys
import time
import traceback
import types


# The warm runner preloads heavy modules whose names appear in a program's text; NumPy is named in pieces so the
# harness alone does not make every submission load it (the judge lists the modules the solution imports instead).
_NUMPY = "num" "py"
_MAX_DEPTH = 1000
_SLACK = 0.04  # with the tick's up to 0.01 s, a looping call stops by limit + 0.05 s: the host allows a batch 0.06 s per test
_MAX_OPS = 50000
_NONCE = ""
_OUT = 1
_CANDIDATE = ""  # replaced by the judge: base64 of the candidate's UTF-8 source

# Captured before the candidate runs, so that rebinding these names later changes nothing here.
_list, _tuple, _dict, _set, _frozenset = list, tuple, dict, set, frozenset
_int, _float, _str, _bool, _bytes, _complex, _bytearray = int, float, str, bool, bytes, complex, bytearray
_type, _len, _isinstance, _repr, _hex = type, len, isinstance, repr, hex
_HEX_BITS = 12000
_HEX_LIMIT = 1 << _HEX_BITS  # ints strictly inside ±this have at most _HEX_BITS bits
_INF = float("inf")
_dict_items = dict.items
_json_dumps, _json_loads = json.dumps, json.loads
_encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode
try:
    # The C encoder JSONEncoder.encode builds on every call, built once: the same text for a third of the cost on a
    # small value (most returned values are small). No circular-reference bookkeeping: what is encoded is built
    # fresh by _enc (or by this file), never a structure the candidate could have made cyclic.
    _c_encode = json.encoder.c_make_encoder(None, json.JSONEncoder().default, json.encoder.encode_basestring_ascii,
                                            None, ":", ",", False, False, False)

    def _encode(o):
        return "".join(_c_encode(o, 0))
except (AttributeError, TypeError):  # pragma: no cover - a Python without the C accelerator keeps the encoder above
    pass
_int_repr, _float_repr = int.__repr__, float.__repr__
_str_json = json.encoder.encode_basestring_ascii  # what _encode writes for a str (ensure_ascii)
# Records gathered before a write while a batch buffers them (see _write); None: every record is written at once.
_BUFFER = None
_BUFFERED = [0, 0.0]  # bytes gathered, time of the last write
_FLUSH_EVERY, _FLUSH_BYTES = 0.02, 1 << 20
_os_write, _process_time, _perf_counter = os.write, time.process_time, time.perf_counter
_fork, _wait4, _exit = os.fork, os.wait4, os._exit
_setitimer, _ITIMER_PROF = signal.setitimer, signal.ITIMER_PROF
try:
    import collections as _collections
    _DICT_LIKE = (_collections.OrderedDict, _collections.defaultdict, _collections.Counter)
    _SEQ_LIKE = (_collections.deque,)
except ImportError:  # pragma: no cover - stdlib always has collections
    _DICT_LIKE, _SEQ_LIKE = (), ()


class _Timeout(BaseException):
    pass


class _Unsupported(Exception):
    """A value that is not made of exact builtin types."""


# Set by _enc when it converted a value (NumPy, deque, Counter...) instead of sending it as it is: such a value may
# compare differently under Python's own == (EvalPlus's rule), so the host asks the official question separately.
_CONVERTED = [False]


# The process CPU time (time.process_time) past which the call now running has used its limit and slack; infinite
# between calls, so the harness's own code is never interrupted. A periodic CPU-time tick (_tick) checks it: arming
# and disarming an alarm around every call cost two system calls per test, a third of the harness's cost per input.
_DEADLINE = [_INF]
_TICK = 0.01


def _on_prof(signum, frame):
    if _process_time() >= _DEADLINE[0]:
        _DEADLINE[0] = _INF  # one timeout per call, whatever code the next tick finds running
        raise _Timeout()


def _tick():
    """Starts the tick in this process (a forked process does not inherit interval timers)."""
    _setitimer(_ITIMER_PROF, _TICK, _TICK)


try:
    import resource as _resource
except ImportError:  # pragma: no cover - Linux always has it
    _resource = None


def _arm_cpu_backstop(limit, now=None):
    """The alarm above only fires between bytecodes; a test stuck inside one long C call (sum(range(10**12)))
    never sees it. RLIMIT_CPU makes the kernel stop the process (SIGXCPU) about a second after the test's
    limit instead, whatever it is doing; the host then reads that as the test's time limit."""
    if _resource is None:
        return
    try:
        want = _int((_process_time() if now is None else now) + limit + _SLACK) + 1
        if want == _BACKSTOP[0]:
            return  # whole seconds: most tests of a batch need the limit the previous one set
        soft, hard = _resource.getrlimit(_resource.RLIMIT_CPU)
        if hard != _resource.RLIM_INFINITY:
            want = min(want, hard)
        _resource.setrlimit(_resource.RLIMIT_CPU, (want, hard))
        _BACKSTOP[0] = want
    except (ValueError, OSError):
        pass


_BACKSTOP = [None]  # the soft RLIMIT_CPU this harness set last


# ---------------------------------------------------------------------------------------------------------------
# Strict typed encoding: only exact builtin types (and NumPy scalars/arrays, converted to builtins) cross the
# channel; subclasses and arbitrary objects are refused, so an object whose __eq__ always answers True never
# reaches a comparison.

def _enc(v, depth=0, hook=None):
    t = _type(v)
    if t is _int and v.bit_length() > _HEX_BITS:
        return {"$hex": _hex(v)}  # decimal conversion of huge ints is quadratic; hex is linear
    if v is None or t is _bool or t is _str or t is _int:
        return v
    if t is _float:
        if v != v:
            return {"$float": "nan"}
        if v == math.inf:
            return {"$float": "inf"}
        if v == -math.inf:
            return {"$float": "-inf"}
        return v
    if depth > _MAX_DEPTH:
        raise _Unsupported("value nested deeper than %d levels" % _MAX_DEPTH)
    d = depth + 1
    if t is _list:
        # Elements that are sent as they are (exact ints of decimal size, finite floats, strs, bools, None) are kept
        # without a call each: most returned lists are made only of them.
        return [x if ((tx := _type(x)) is _int and -_HEX_LIMIT < x < _HEX_LIMIT) or tx is _str
                or (tx is _float and -_INF < x < _INF) or tx is _bool or x is None else _enc(x, d, hook) for x in v]
    if t is _tuple:
        return {"$tuple": [_enc(x, d, hook) for x in v]}
    if t in _DICT_LIKE:
        _CONVERTED[0] = True
    if t is _dict or t in _DICT_LIKE:
        return {"$dict": [[_enc(k, d, hook), _enc(x, d, hook)] for k, x in _dict_items(v)]}
    if t is _set:
        return {"$set": [_enc(x, d, hook) for x in v]}
    if t is _frozenset:
        return {"$frozenset": [_enc(x, d, hook) for x in v]}
    if t is _bytes or t is _bytearray:
        return {"$bytes": base64.b64encode(_bytes(v)).decode("ascii")}
    if t is _complex:
        return {"$complex": [_enc(v.real, d), _enc(v.imag, d)]}
    if t in _SEQ_LIKE:
        _CONVERTED[0] = True
        return [_enc(x, d, hook) for x in _list(v)]
    np = sys.modules.get(_NUMPY)
    if np is not None and t.__module__ == _NUMPY:
        _CONVERTED[0] = True
        # The converted value is encoded strictly again, so whatever these methods return cannot smuggle objects.
        if t is getattr(np, "ndarray", None):
            return _enc(v.tolist(), d, hook)
        if _isinstance(v, getattr(np, "generic", ())):
            return _enc(v.item(), d, hook)
    if hook is not None:
        return hook(v, d)
    raise _Unsupported("value of type %s is not a builtin value" % _type_name(v))


# ---------------------------------------------------------------------------------------------------------------
# LeetCode's linked lists and binary trees cross the channel in LeetCode's own notation: a list of values, a tree
# in level order with None for missing children. Only the values are encoded (strictly, as above); the nodes are
# rebuilt on the other side with that side's classes, so no object of the other process ever crosses.

_MAX_NODES = 1000000


class _LeetListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next

    def __repr__(self):
        return "ListNode(%r)" % (_list_values(self),)


class _LeetTreeNode:
    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right

    def __repr__(self):
        return "TreeNode(%r)" % (_tree_values(self),)


_LeetListNode.__name__ = _LeetListNode.__qualname__ = "ListNode"
_LeetTreeNode.__name__ = _LeetTreeNode.__qualname__ = "TreeNode"


def _list_values(node, enc=None):
    out, seen = [], {}
    while node is not None:
        if _type(node).__name__ != "ListNode" or id(node) in seen or _len(out) >= _MAX_NODES:
            raise _Unsupported("a linked list that is cyclic, too long, or holds a %s" % _type_name(node))
        seen[id(node)] = True
        out.append(enc(node.val) if enc else node.val)
        node = node.next
    return out


def _tree_values(root, enc=None):
    out, seen, level = [], {}, [root]
    while level:
        nxt = []
        for node in level:
            if node is None:
                out.append(None)
                continue
            if _type(node).__name__ != "TreeNode" or id(node) in seen or _len(seen) >= _MAX_NODES:
                raise _Unsupported("a binary tree that shares nodes, is too large, or holds a %s" % _type_name(node))
            seen[id(node)] = True
            out.append(enc(node.val) if enc else node.val)
            nxt.append(node.left)
            nxt.append(node.right)
        level = nxt
    while out and out[-1] is None:
        out.pop()
    return out


def _build_list(values, cls):
    head = None
    for v in reversed(values):
        head = cls(v, head)
    return head


def _build_tree(values, cls):
    if not values or values[0] is None:
        return None
    root = cls(values[0])
    queue, i = [root], 1
    for node in queue:
        if i >= _len(values):
            break
        for side in ("left", "right"):
            if i < _len(values) and values[i] is not None:
                child = cls(values[i])
                setattr(node, side, child)
                queue.append(child)
            i += 1
    return root


def _node_hook(v, depth):
    """Encodes the solution's ListNode/TreeNode results as their values; any other object stays unsupported."""
    name = _type(v).__name__
    if name == "ListNode":
        return {"$listnode": _list_values(v, lambda x: _enc(x, depth, _node_hook))}
    if name == "TreeNode":
        return {"$treenode": _tree_values(v, lambda x: _enc(x, depth, _node_hook))}
    raise _Unsupported("value of type %s is not a builtin value" % _type_name(v))


def _leetcode_helpers():
    """The helpers LeetCode check scripts call (as LeetCodeDataset's prompts define them), for the trusted driver."""
    def list_node(values):
        return _build_list(_list(values), _LeetListNode)

    def tree_node(values):
        return _build_tree(_list(values), _LeetTreeNode)

    def same(walk, a, b):
        for x in (a, b):
            if _type(x) is _Ref or _type(x) is _Global:
                _misuse(x)  # an object the solution returned that could not cross: a wrong answer, not a broken check
        try:
            return walk(a) == walk(b)
        except _Unsupported:
            return False

    def is_same_list(a, b):
        return same(_list_values, a, b)

    def is_same_tree(a, b):
        return same(_tree_values, a, b)

    return {"ListNode": _LeetListNode, "TreeNode": _LeetTreeNode, "list_node": list_node, "tree_node": tree_node,
            "is_same_list": is_same_list, "is_same_tree": is_same_tree}


def _type_name(v):
    try:
        t = _type(v)
        return "%s.%s" % (t.__module__, t.__qualname__) if t.__module__ != "builtins" else t.__qualname__
    except Exception:
        return "?"


def _dec(x, resolve=None):
    """Typed JSON (already parsed) to Python values; resolve handles {"$ref"}/{"$name"} in ops mode."""
    t = _type(x)
    if t is _list:
        return [_dec(e, resolve) for e in x]
    if t is not _dict:
        return x
    if _len(x) == 1:
        (k, v), = x.items()
        if k == "$tuple":
            return _tuple(_dec(e, resolve) for e in v)
        if k == "$dict":
            return {_dec(a, resolve): _dec(b, resolve) for a, b in v}
        if k == "$set":
            return {_dec(e, resolve) for e in v}
        if k == "$frozenset":
            return _frozenset(_dec(e, resolve) for e in v)
        if k == "$float":
            return _float(v)
        if k == "$bytes":
            return base64.b64decode(v)
        if k == "$complex":
            return _complex(_dec(v[0]), _dec(v[1]))
        if k == "$hex":
            return _int(v, 16)
        if (k == "$ref" or k == "$name") and resolve is not None:
            return resolve(k, v)
        if k == "$listnode" or k == "$treenode":
            # In the solution's process its own (or the prelude's) classes; in the driver, the harness's.
            leet = k == "$listnode"
            cls = (resolve("$name", "ListNode" if leet else "TreeNode") if resolve is not None
                   else (_LeetListNode if leet else _LeetTreeNode))
            values = [_dec(e, resolve) for e in v]
            return _build_list(values, cls) if leet else _build_tree(values, cls)
    return {k: _dec(v, resolve) for k, v in x.items()}


def _emit(rec, then=None):
    """Writes a record (and `then`, in the same write: one wake-up of the host instead of two)."""
    text = "@" + _NONCE + " " + _encode(rec) + "\n"
    if then is not None:
        text += "@" + _NONCE + " " + _encode(then) + "\n"
    _write(text)


def _write(text):
    """Sends now, or, while buffering (a batch's first attempt), once _FLUSH_EVERY seconds or bytes have gathered:
    the host reads a run's records only after it ends, and one write per record cost both sides a wake-up per test.
    A run killed with records unsent loses at most that much work: the host does not take a start marker of such a
    run for the test in flight, reruns the first missing test alone and the rest with buffering off, so what stopped
    the run is then seen (its start marker) exactly as before."""
    if _BUFFER is None:
        _send(text)
        return
    _BUFFER.append(text)
    _BUFFERED[0] += _len(text)
    if _BUFFERED[0] >= _FLUSH_BYTES or _perf_counter() - _BUFFERED[1] >= _FLUSH_EVERY:
        _flush()


def _flush():
    if _BUFFER:
        text = "".join(_BUFFER)
        del _BUFFER[:]
        _send(text)
    _BUFFERED[0], _BUFFERED[1] = 0, _perf_counter()


def _send(text):
    view = memoryview(text.encode("utf-8"))
    while view:
        n = _os_write(_OUT, view)
        view = view[n:]


def _builtin_base(cls):
    try:
        for c in cls.__mro__:
            if c.__module__ == "builtins":
                return c.__name__
    except Exception:
        pass
    return "Exception"


def _describe(e):
    try:
        msg = _str(e)
    except BaseException:
        msg = "<unprintable>"
    try:
        tb = "".join(traceback.format_exception(_type(e), e, e.__traceback__)[-4:])
    except BaseException:
        tb = ""
    return {"e": _builtin_base(_type(e)), "n": _type_name(e), "m": msg[:500], "tb": tb[-1500:]}


def _timed(fn, limit, clock=None):
    """Runs fn under a CPU-time alarm; returns (status, payload, cpu, wall). Never lets the candidate's
    exceptions (SystemExit included) escape. With `clock` (a one-item list), consecutive calls share one CPU clock
    reading: this call starts at the reading the previous one ended with (when there is one) and leaves its own end
    there, so the few microseconds of harness between two calls count to the later one (the clock is a system call,
    a sixth of the harness's cost per input)."""
    c0 = clock[0] if clock is not None and clock[0] is not None else _process_time()
    w0 = _perf_counter()
    _arm_cpu_backstop(limit, c0)
    try:
        # Set inside the try: a tick that finds it passed raises where this except catches it.
        _DEADLINE[0] = c0 + max(limit, 0.001) + _SLACK
        try:
            try:
                out = ("ok", fn())
            except _Timeout:
                raise
            except _Unsupported as e:
                out = ("bad", {"m": _str(e)})
            except Exception as e:
                out = ("exc", _describe(e))
            except BaseException as e:
                out = ("exit", _describe(e))
        finally:
            _DEADLINE[0] = _INF
    except _Timeout:
        out = ("timeout", None)
    c1 = _process_time()
    cpu, wall = c1 - c0, _perf_counter() - w0
    if clock is not None:
        clock[0] = c1
    if out[0] != "timeout" and cpu > limit:
        out = ("timeout", None)
    return out[0], out[1], cpu, wall


# ---------------------------------------------------------------------------------------------------------------
# Candidate side

def _candidate_source():
    return base64.b64decode(_CANDIDATE).decode("utf-8")


def _read_request():
    data = sys.stdin.buffer.read()
    nl = data.index(b"\n")
    return data[:nl].decode("ascii").strip(), _json_loads(data[nl + 1:])


def _seal_channel():
    """Keeps a private copy of stdout for records; the candidate's prints go to stderr, its stdin is empty."""
    global _OUT
    sys.stdout.flush()
    _OUT = os.dup(1)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)


# EvalPlus runs a solution after its reliability_guard and inside swallow_io (evalplus/eval/utils.py): these are None
# there, so a solution that calls them fails there, and fails here too under the EvalPlus environment.
_EVALPLUS_NONE_OS = ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork", "forkpty",
                     "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown", "chmod", "chown",
                     "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir")
_EVALPLUS_NONE_MODULES = ("ipdb", "joblib", "resource", "psutil", "tkinter")
# EvalPlus's process has these modules loaded, and these of their functions None. Importing them here up front would
# cost a run that never uses them ~5 ms of CPU (a harness run that is not a zygote's preloaded copy imports all it
# imports), so they are guarded as the solution imports them (_GuardOnImport), or at once when already loaded.
_EVALPLUS_NONE_ATTRS = {"shutil": ("rmtree", "move", "chown"), "subprocess": ("Popen",)}


class _NoStdin(object):
    """Standard input as EvalPlus's swallow_io leaves it: any read raises OSError."""

    def read(self, *a, **k):
        raise OSError("stdin is not readable during an EvalPlus evaluation")

    readline = readlines = read

    def readable(self):
        return False


class _GuardedLoader(object):
    """Loads a module as its own loader does, then sets EvalPlus's None functions on it."""

    def __init__(self, inner, names):
        self._inner, self._names = inner, names

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        self._inner.exec_module(module)
        for name in self._names:
            setattr(module, name, None)


class _GuardOnImport(object):
    """A meta path finder for the modules of _EVALPLUS_NONE_ATTRS: found as usual, loaded through _GuardedLoader."""

    def find_spec(self, name, path=None, target=None):
        if name not in _EVALPLUS_NONE_ATTRS:
            return None
        import importlib.machinery
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _GuardedLoader(spec.loader, _EVALPLUS_NONE_ATTRS[name])
        return spec


_UNGUARDED_OS = {}  # os's functions as they were before the EvalPlus environment set them to None


def _import_unguarded(name):
    """A module the harness itself needs (NumPy, for the official comparison under a tolerance), imported with os's
    functions back for the import's duration: NumPy's import sets an environment variable, which fails under the
    guard. Loading it up front instead would cost every official run its import, used or not."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    guarded = [(n, getattr(os, n, None)) for n in _UNGUARDED_OS]
    for n, f in _dict_items(_UNGUARDED_OS):
        setattr(os, n, f)
    try:
        return __import__(name)
    finally:
        for n, f in guarded:
            setattr(os, n, f)


def _evalplus_environment(numpy_wanted):
    """What EvalPlus's evaluation process gives a solution. The harness keeps its own references (captured at import)
    to anything it needs later. NumPy is imported first when wanted (EvalPlus's process has it loaded: importing it
    under the guard fails, as its import sets an environment variable)."""
    if numpy_wanted:
        try:
            __import__(_NUMPY)
        except ImportError:
            pass
    import faulthandler  # built in: no file to load
    faulthandler.disable()
    builtins.exit = None
    builtins.quit = None
    os.environ["OMP_NUM_THREADS"] = "1"  # before os.putenv goes, as in EvalPlus
    for name in _EVALPLUS_NONE_OS:
        _UNGUARDED_OS[name] = getattr(os, name, None)
        setattr(os, name, None)
    builtins.open = None
    for name, attrs in _dict_items(_EVALPLUS_NONE_ATTRS):
        module = sys.modules.get(name)
        if module is None:
            continue
        for attr in attrs:
            setattr(module, attr, None)
    if any(sys.modules.get(name) is None for name in _EVALPLUS_NONE_ATTRS):
        sys.meta_path.insert(0, _GuardOnImport())
    builtins.help = None
    for name in _EVALPLUS_NONE_MODULES:
        sys.modules[name] = None
    sys.stdin = _NoStdin()


def _load(prelude, limit, req=None):
    if req is not None and req.get("evalplus"):
        _evalplus_environment(_NUMPY in _candidate_source())
    mod = types.ModuleType("solution")
    mod.__file__ = "/box/solution.py"
    sys.modules["solution"] = mod
    try:
        code = compile(_candidate_source(), "solution.py", "exec")
    except (SyntaxError, ValueError) as e:
        _emit({"t": "load", "s": "syntax", "m": "".join(traceback.format_exception_only(_type(e), e))[-1500:]})
        return None

    def body():
        if prelude:
            exec(compile(prelude, "prelude.py", "exec"), mod.__dict__)
        exec(code, mod.__dict__)

    status, payload, cpu, wall = _timed(body, limit)
    rec = {"t": "load", "s": status, "cpu": cpu, "wall": wall}
    if _isinstance(payload, _dict):
        rec.update(payload)
    _emit(rec)
    return mod if status == "ok" else None


def _resolve_function(mod, fn, cls):
    g = mod.__dict__
    if cls:
        return getattr(g[cls](), fn)
    f = g.get(fn)
    if f is not None:
        return f
    sol = g.get("Solution")
    if _isinstance(sol, _type):
        return getattr(sol(), fn)
    raise NameError("function %r is not defined" % fn)


def _wait_child(pid):
    """os.wait4, which imports `resource` to build its usage record: under the EvalPlus environment that name is
    blocked in sys.modules (as EvalPlus blocks it for the solution), so the harness's own copy stands in meanwhile."""
    blocked = "resource" in sys.modules and sys.modules["resource"] is None
    if blocked and _resource is not None:
        sys.modules["resource"] = _resource
    try:
        return _wait4(pid, 0)
    finally:
        if blocked:
            sys.modules["resource"] = None


def _run_calls(req):
    mod = _load(req.get("prelude"), req.get("load_cpu", 10.0), req)
    if mod is None:
        return
    tests = _call_tests(req["calls"])
    if not req.get("fork_groups"):
        _run_group(mod, tests, req)
    else:
        # Each group (EvalPlus's base and plus inputs) in a process forked from the freshly loaded solution: what one
        # group's calls change (globals, caches) is not seen by the next, as if each had loaded the solution itself.
        groups = []
        for t in tests:
            if not groups or groups[-1][0][3]["g"] != t[3]["g"]:
                groups.append([])
            groups[-1].append(t)
        for n, group in enumerate(groups):
            if n == _len(groups) - 1:
                # The last group runs in this process: nothing runs after it, so the state it leaves is never seen,
                # and a sample pays one fork fewer. Its CPU budget is the rest of this process's, on top of what the
                # process has used so far; its record comes after its tests, and is missing if it ends the process
                # (the host then counts its tests' own times, as for a group whose process died).
                c0 = _process_time()
                cap = group[0][3].get("cap")
                if cap and _resource is not None:
                    try:
                        hard = _resource.getrlimit(_resource.RLIMIT_CPU)[1]
                        limit = _int(c0) + 1 + cap
                        if hard != _resource.RLIM_INFINITY:
                            limit = min(limit, hard)  # a hard limit can only be lowered
                        _resource.setrlimit(_resource.RLIMIT_CPU, (limit, limit))
                        _BACKSTOP[0] = None
                    except (ValueError, OSError):
                        pass
                _run_group(mod, group, req)
                _flush()
                _emit({"t": "g", "i": group[0][0], "cpu": _process_time() - c0, "sig": 0})
                break
            sys.stdout.flush()  # nothing the solution printed while loading is written by two processes
            sys.stderr.flush()
            pid = _fork()
            if pid == 0:
                try:
                    # The group's own CPU budget, enforced by the kernel on this process (the host enforces the sum).
                    _tick()
                    cap = group[0][3].get("cap")
                    if cap and _resource is not None:
                        _resource.setrlimit(_resource.RLIMIT_CPU, (cap, cap))
                    _run_group(mod, group, req)
                finally:
                    _flush()
                    _exit(0)
            try:
                _, status, usage = _wait_child(pid)
                # What the group's process used in all (its calls, and whatever ran when it was stopped).
                _emit({"t": "g", "i": group[0][0], "cpu": usage.ru_utime + usage.ru_stime,
                       "sig": os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0})
            except ChildProcessError:
                pass
    _emit({"t": "done"})
    _flush()


def _call_tests(calls):
    """The request's tests as (index, CPU limit, arguments, shared fields). On the wire, consecutive tests that call
    the same function the same way share one header and each is a row [index, CPU limit, arguments]: a row parses in
    a fraction of a dict with every field (the request of a HumanEval+ sample has hundreds of tests).
    Header fields: fn, cls (call it on a fresh instance of that class), nn (EvalPlus compares only whether the answer
    is None), ep (an EvalPlus test), oa (its oracle reads the arguments: report them as the call left them), p (the
    arguments hold no JSON object: no typed form to decode), g and cap (the test's group and that group's CPU cap, in
    seconds, when groups run in processes of their own)."""
    out = []
    for call in calls:
        h = call["h"]
        for row in call["t"]:
            out.append((row[0], row[1], row[2], h))
    return out


def _run_group(mod, tests, req):
    """Calls each test of one group in turn (stopping at its first failure when asked) and reports each result."""
    global _BUFFER
    stop = req.get("stop_on_error", False)
    if tests:
        _emit({"t": "s", "i": tests[0][0]})
    # Each result carries the next test's start marker, so a run that ends in a test shows which one; not while
    # buffering: the host never takes a buffered run's start markers for the test in flight (see _write). The group's
    # first marker above is written at once either way: it tells the host that the group began.
    marks = not req.get("buffer")
    if not marks:
        _BUFFER = []
        _BUFFERED[1] = _perf_counter()
    prefix, last = "@" + _NONCE + " ", _len(tests) - 1
    clock = [None]
    for n, t in enumerate(tests):
        i, limit, args, h = t
        if not h.get("p"):
            args = _dec(args)
        fn, cls, not_none = h["fn"], h.get("cls"), h.get("nn")

        def call():
            f = _resolve_function(mod, fn, cls)
            out = f(*args)
            if not_none:  # EvalPlus compares only whether such answers are None (a bool stays itself)
                out = out if _type(out) is _bool else out is not None
            # A scalar is sent as its JSON text at once (what the encoder would write, without its call); _enc
            # returns a str only for a str, so a str result below is always that text.
            to = _type(out)
            if to is _int:
                if -_HEX_LIMIT < out < _HEX_LIMIT:
                    return _int_repr(out)
            elif to is _str:
                return _str_json(out)
            elif to is _bool:
                return "true" if out else "false"
            elif out is None:
                return "null"
            elif to is _float and -_INF < out < _INF:
                return _float_repr(out)
            return _enc(out)

        _CONVERTED[0] = False
        status, payload, cpu, wall = _timed(call, limit, clock)
        if status == "ok":
            extra = ',"x":1' if _CONVERTED[0] else ""
            if h.get("oa"):
                # EvalPlus's oracle reads the arguments after the call (a solution may have changed them in place).
                try:
                    extra += ',"a2":' + _encode(_enc(_list(args)))
                except BaseException:
                    extra += ',"a2":null'
            # The common record written directly (what json.dumps of the record's dict gives): one encoder call for
            # the value instead of one for the whole record, and the next test's start marker in the same write.
            # Times to the microsecond ("%.6f" costs half of repr).
            text = '%s{"t":"r","i":%d,"s":"ok","cpu":%.6f,"wall":%.6f,"v":%s%s}\n' % (
                prefix, i, cpu, wall, payload if _type(payload) is _str else _encode(payload), extra)
            if marks and n < last:
                text += '%s{"t":"s","i":%d}\n' % (prefix, tests[n + 1][0])
            _write(text)
            continue
        rec = {"t": "r", "i": i, "s": status, "cpu": cpu, "wall": wall}
        if _isinstance(payload, _dict):
            rec.update(payload)
        # An EvalPlus value that is not a plain builtin may still pass officially: keep going for that verdict.
        stopping = stop and not (status == "bad" and h.get("ep"))
        # The next test's start marker leaves with this result, before that test runs.
        _emit(rec, None if stopping or n == last or not marks else {"t": "s", "i": tests[n + 1][0]})
        if stopping:
            break


def _official_accepts(out, exp, check, args):
    """EvalPlus's decision for one input, made the way its evaluator makes it: in this process, with Python's ==."""
    oracle, atol = check.get("o", "eq"), check.get("atol", 0.0)
    exact = out == exp
    if oracle == "find_zero":
        return abs(sum([c * math.pow(out, k) for k, c in enumerate(args[0])])) <= atol
    if oracle == "any":
        exact = True
    elif oracle == "zero":
        exact = exact or out == 0
    elif oracle == "surface":
        b, h = args
        exact = exact or abs(out - round(b ** 2 + 4 * (b * math.sqrt((b / 2) ** 2 + h ** 2)) / 2)) <= atol
    elif oracle == "digits":
        x, y = str(args[0]), str(args[1])
        w = max(len(x), len(y))
        exact = exact or out == sum(abs(int(p) - int(q)) for p, q in zip(x.zfill(w), y.zfill(w)))
    elif oracle == "set":
        exact = set(out) == set(exp)
    if atol != 0 and not exact:
        np = _import_unguarded(_NUMPY)
        if type(out) != type(exp):
            return False
        if isinstance(exp, (list, tuple)) and len(out) != len(exp):
            return False
        return bool(np.allclose(out, exp, rtol=1e-07, atol=atol))
    return not not exact


def _run_official(req):
    mod = _load(req.get("prelude"), req.get("load_cpu", 10.0), req)
    if mod is None:
        return
    for t in req["tests"]:
        i = t["i"]
        _emit({"t": "s", "i": i})
        args = _dec(t["args"])
        exp = _dec(t["exp"])
        fn, check = t["fn"], t.get("check") or {}

        def call():
            out = _resolve_function(mod, fn, None)(*args)
            if check.get("nn"):
                out = out if isinstance(out, bool) else out is not None
            return _official_accepts(out, exp, check, args) is True

        status, payload, cpu, wall = _timed(call, t["cpu"])
        rec = {"t": "r", "i": i, "s": status, "cpu": cpu, "wall": wall}
        if status == "ok":
            rec["v"] = payload
        elif _isinstance(payload, _dict):
            rec.update(payload)
        _emit(rec)
    _emit({"t": "done"})


def _run_ops(req):
    mod = _load(req.get("prelude"), req.get("load_cpu", 10.0))
    if mod is None:
        return
    stop = req.get("stop_on_error", False)
    missing = object()
    for t in req["tests"]:
        i, limit, used = t["i"], t["cpu"], 0.0
        results = []
        _emit({"t": "s", "i": i})
        final = "ok"

        def resolve(kind, v):
            if kind == "$ref":
                r = results[v]
                if r is missing:
                    raise RuntimeError("operation %d produced no value" % v)
                return r
            g = mod.__dict__
            if v in g:
                return g[v]
            if hasattr(builtins, v):
                return getattr(builtins, v)
            raise NameError("name %r is not defined" % v)

        for k, op in enumerate(t["ops"]):
            results.append(missing)

            def run():
                target = _dec(op["target"], resolve)
                if op["op"] == "getattr":
                    value = getattr(target, op["name"])
                    mutated = None
                else:
                    args = [_dec(a, resolve) for a in op.get("args", [])]
                    kwargs = {n: _dec(a, resolve) for n, a in (op.get("kwargs") or {}).items()}
                    value = target(*args, **kwargs)
                    mutated = _mutations(op, args, kwargs)
                results[k] = value
                try:
                    out = {"v": _enc(value, 0, _node_hook)}
                except _Unsupported:
                    out = {"h": _type_name(value)}
                if mutated:
                    out["mut"] = mutated
                return out

            status, payload, cpu, wall = _timed(run, limit - used)
            used += cpu
            rec = {"t": "o", "i": i, "k": k, "s": status}
            if _isinstance(payload, _dict):
                rec.update(payload)
            _emit(rec)
            if status in ("timeout", "exit"):
                final = status
                break
        _emit({"t": "e", "i": i, "s": final, "cpu": used})
        if stop and final != "ok":
            break
    _emit({"t": "done"})


def _mutations(op, args, kwargs):
    """Arguments the call changed in place (lists, dicts, sets), so the driver can apply the same change."""
    out = {}
    for idx, (before, after) in enumerate(zip(op.get("args", []), args)):
        if _type(after) in (_list, _dict, _set, _bytearray):
            try:
                now = _enc(after)
            except _Unsupported:
                continue
            if now != before:
                out[_str(idx)] = now
    for name, before in (op.get("kwargs") or {}).items():
        after = kwargs.get(name)
        if _type(after) in (_list, _dict, _set, _bytearray):
            try:
                now = _enc(after)
            except _Unsupported:
                continue
            if now != before:
                out["kw:" + name] = now
    return out


def _run_stdio():
    mod = types.ModuleType("__main__")
    mod.__file__ = "/box/main.py"
    sys.modules["__main__"] = mod
    sys.argv = ["/box/main.py"] + sys.argv[2:]
    exec(compile(_candidate_source(), "/box/main.py", "exec"), mod.__dict__)


# ---------------------------------------------------------------------------------------------------------------
# Trusted check driver: runs the assertion script with stand-ins for the candidate. Every call to the candidate
# becomes a remote operation; results known from earlier rounds are replayed, unknown ones stay placeholders.
# Asserts are only decided in a round where every result is known.

class _NeedResult(BaseException):
    """A placeholder was used as a value: the round cannot go further."""


class _Forced(BaseException):
    """The candidate exited or returned an unusable value: the test fails whatever the script catches."""


class _HarnessLimit(BaseException):
    """The script needs something this harness cannot carry across processes."""


class _Ctx:
    def __init__(self, known):
        self.known = known
        self.ops = []
        self.pending = False
        self.forced = None
        self.failed_line = None


def _encode_arg(ctx, v):
    def hook(x, depth):
        if _type(x) is _Ref and x._ctx is ctx:
            return {"$ref": x._k}
        if _type(x) is _Global and x._ctx is ctx:
            return {"$name": x._name}
        if _type(x) is _LeetListNode:
            return {"$listnode": _list_values(x, lambda v: _enc(v, depth, hook))}
        if _type(x) is _LeetTreeNode:
            return {"$treenode": _tree_values(x, lambda v: _enc(v, depth, hook))}
        raise _HarnessLimit("the check passes a %s to the solution; only builtin values, and objects the "
                            "solution returned, can be sent to it" % _type_name(x))
    try:
        return _enc(v, 0, hook)
    except _Unsupported as e:
        raise _HarnessLimit(_str(e))


def _remote(ctx, spec, call_args=None):
    k = _len(ctx.ops)
    if k >= _MAX_OPS:
        raise _HarnessLimit("the check makes more than %d calls into the solution" % _MAX_OPS)
    key = _json_dumps(spec, sort_keys=True, separators=(",", ":"))
    ctx.ops.append(spec)
    if ctx.pending or k >= _len(ctx.known) or ctx.known[k]["key"] != key:
        ctx.pending = True
        return _Ref(ctx, k, None)
    r = ctx.known[k]["r"]
    s = r.get("s")
    if s == "ok":
        if "h" in r:
            return _Ref(ctx, k, r["h"])
        try:
            value = _dec(r["v"])
            if r.get("mut") and call_args is not None:
                _apply_mutations(r["mut"], *call_args)
        except Exception:
            ctx.forced = ("value", "the solution's result for operation %d is malformed (its channel was written to)" % k)
            raise _Forced()
        return value
    if s == "exc":
        raise _candidate_exception(r)
    if s == "bad":
        ctx.forced = ("value", "the solution returned an unusable value: " + r.get("m", ""))
        raise _Forced()
    if s == "exit":
        ctx.forced = ("exit", "the solution raised %s (%s) during the check" % (r.get("n", "SystemExit"), r.get("m", "")))
        raise _Forced()
    ctx.forced = ("exit", "the solution did not finish operation %d (%s)" % (k, s))
    raise _Forced()


def _apply_mutations(mut, args, kwargs):
    for where, enc in mut.items():
        target = kwargs.get(where[3:]) if where.startswith("kw:") else (args[_int(where)] if _int(where) < _len(args) else None)
        new = _dec(enc)
        t = _type(target)
        if t is _list or t is _bytearray:
            target[:] = new
        elif t is _dict or t is _set:
            target.clear()
            target.update(new)


def _candidate_exception(r):
    cls = getattr(builtins, r.get("e", "Exception"), Exception)
    if not (_isinstance(cls, _type) and issubclass(cls, Exception)):
        cls = Exception
    msg = r.get("m", "")
    for c in cls.__mro__:
        try:
            exc = c(msg)
            break
        except Exception:
            continue
    else:
        exc = Exception(msg)
    exc._crucible_candidate = "%s: %s" % (r.get("n", cls.__name__), msg)
    return exc


def _misuse(self, *a, **k):
    ctx = object.__getattribute__(self, "_ctx")
    known_type = object.__getattribute__(self, "_type")
    if known_type is None:
        raise _NeedResult()
    if _type(self) is _Global:
        raise _HarnessLimit("the check uses the solution's name %r as a value" % object.__getattribute__(self, "_name"))
    ctx.forced = ("value", "the solution returned a %s object where the check needs a value; only builtin values "
                           "(numbers, strings, lists, tuples, dicts, sets, None) are accepted" % known_type)
    raise _Forced()


class _Ref:
    """The result of a remote operation: unknown yet (type None) or an object that stays in the candidate."""
    __slots__ = ("_ctx", "_k", "_type")

    def __init__(self, ctx, k, type_name):
        object.__setattr__(self, "_ctx", ctx)
        object.__setattr__(self, "_k", k)
        object.__setattr__(self, "_type", type_name)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _remote(self._ctx, {"op": "getattr", "target": {"$ref": self._k}, "name": name})

    def __call__(self, *args, **kwargs):
        ctx = self._ctx
        spec = {"op": "call", "target": {"$ref": self._k}, "args": [_encode_arg(ctx, a) for a in args],
                "kwargs": {n: _encode_arg(ctx, a) for n, a in kwargs.items()}}
        return _remote(ctx, spec, (args, kwargs))

    def __repr__(self):
        return "<solution value #%d>" % self._k


class _Global:
    """Stand-in for a name the solution defines (the entry point, a helper class)."""
    __slots__ = ("_ctx", "_name", "_type")

    def __init__(self, ctx, name):
        object.__setattr__(self, "_ctx", ctx)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_type", "name")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _remote(self._ctx, {"op": "getattr", "target": {"$name": self._name}, "name": name})

    def __call__(self, *args, **kwargs):
        ctx = self._ctx
        spec = {"op": "call", "target": {"$name": self._name}, "args": [_encode_arg(ctx, a) for a in args],
                "kwargs": {n: _encode_arg(ctx, a) for n, a in kwargs.items()}}
        return _remote(ctx, spec, (args, kwargs))

    def __repr__(self):
        return "<solution %s>" % self._name


for _dunder in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__", "__len__",
                "__iter__", "__next__", "__contains__", "__getitem__", "__setitem__", "__delitem__", "__str__",
                "__format__", "__int__", "__float__", "__index__", "__complex__", "__round__", "__abs__",
                "__neg__", "__pos__", "__invert__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__",
                "__rmul__", "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__",
                "__pow__", "__rpow__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__",
                "__lshift__", "__rlshift__", "__rshift__", "__rrshift__", "__matmul__", "__rmatmul__",
                "__enter__", "__exit__", "__reversed__", "__bytes__", "__divmod__", "__rdivmod__"):
    setattr(_Ref, _dunder, _misuse)
    if _dunder not in ("__eq__", "__ne__", "__hash__"):
        setattr(_Global, _dunder, _misuse)


def _assert(ctx, thunk, line):
    try:
        ok = _bool(thunk())
    except _NeedResult:
        return True
    except (_Forced, _HarnessLimit):
        raise
    except BaseException:
        if ctx.pending:
            return True
        raise
    if ctx.pending or ok:
        return True
    ctx.failed_line = line
    return False


def _statement(ctx, thunk):
    try:
        thunk()
    except _NeedResult:
        pass
    except (_Forced, _HarnessLimit):
        raise
    except BaseException:
        if not ctx.pending:
            raise


class _Rewriter(ast.NodeTransformer):
    """assert T, M  ->  if not _crucible_assert(lambda: T, line): raise AssertionError(M)
    f(...) as a statement  ->  _crucible_stmt(lambda: f(...))
    Both are transparent once every result is known; while some are not, they let the round go on to discover
    the remaining calls instead of stopping at the first placeholder."""

    def __init__(self):
        self.in_class = 0

    def visit_ClassDef(self, node):
        self.in_class += 1
        self.generic_visit(node)
        self.in_class -= 1
        return node

    def visit_FunctionDef(self, node):
        saved, self.in_class = self.in_class, 0
        self.generic_visit(node)
        self.in_class = saved
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    @staticmethod
    def _plain(expr):
        return not any(_isinstance(n, (ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)) for n in ast.walk(expr))

    @staticmethod
    def _thunk(expr):
        return ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                                             kwarg=None, defaults=[]), body=expr)

    def visit_Assert(self, node):
        if self.in_class or not self._plain(node.test):
            return node
        check = ast.Call(func=ast.Name("_crucible_assert", ast.Load()),
                         args=[self._thunk(node.test), ast.Constant(node.lineno)], keywords=[])
        exc = ast.Call(func=ast.Name("AssertionError", ast.Load()), args=[node.msg] if node.msg else [], keywords=[])
        return ast.copy_location(ast.If(test=ast.UnaryOp(op=ast.Not(), operand=check),
                                        body=[ast.Raise(exc=exc, cause=None)], orelse=[]), node)

    def visit_Expr(self, node):
        if self.in_class or not _isinstance(node.value, ast.Call) or not self._plain(node.value):
            return node
        call = ast.Call(func=ast.Name("_crucible_stmt", ast.Load()), args=[self._thunk(node.value)], keywords=[])
        return ast.copy_location(ast.Expr(value=call), node)


def _free_names(tree):
    loaded, bound = set(), set()
    for n in ast.walk(tree):
        if _isinstance(n, ast.Name):
            (loaded if _isinstance(n.ctx, ast.Load) else bound).add(n.id)
        elif _isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(n.name)
        elif _isinstance(n, ast.arg):
            bound.add(n.arg)
        elif _isinstance(n, (ast.Import, ast.ImportFrom)):
            for a in n.names:
                bound.add((a.asname or a.name).split(".")[0])
        elif _isinstance(n, (ast.Global, ast.Nonlocal)):
            bound.update(n.names)
        elif _isinstance(n, ast.ExceptHandler) and n.name:
            bound.add(n.name)
    return loaded - bound


def _calls_name_at_top(tree, name):
    for stmt in tree.body:
        if _isinstance(stmt, ast.Expr) and _isinstance(stmt.value, ast.Call):
            f = stmt.value.func
            if _isinstance(f, ast.Name) and f.id == name:
                return True
    return False


def _check_one(t, prompt):
    import importlib
    ctx = _Ctx(t.get("known") or [])
    script, entry, setup = t["script"], t.get("entry"), t.get("setup")
    # Seeded for scripts that draw from it; imported only for them: the zygotes do not preload "random" (its at-fork
    # reseed would cost every run), and its import costs a check that never uses it ~0.5 ms.
    if "random" in script or "random" in (setup or ""):
        import random
        random.seed(0)
    if _NUMPY in script or "np." in script:
        try:
            importlib.import_module(_NUMPY).random.seed(0)
        except ImportError:
            pass
    g = {"__name__": "__main__", "__builtins__": builtins}  # the script is the main program in the official harnesses
    try:
        tree = ast.parse(script, "check.py")
    except SyntaxError as e:
        return {"s": "harness", "m": "the assertion script does not parse: %s" % e}
    if prompt:
        try:
            exec(compile(prompt, "prompt.py", "exec"), g)
        except Exception:
            pass  # prompts of completion datasets may be partial code; their helpers are then unavailable
    if setup:
        try:
            exec(compile(setup, "setup.py", "exec"), g)
        except Exception as e:
            return {"s": "harness", "m": "the test's setup code failed: %r" % e}
    names = _free_names(tree)
    leet = _leetcode_helpers()
    for n in names:
        if n in leet and n not in g:
            g[n] = leet[n]
    if entry:
        names.add(entry)
    import typing
    for n in sorted(names):
        if n == entry or (n not in g and not hasattr(builtins, n)):
            if n != entry and n in getattr(typing, "__all__", ()):
                g[n] = getattr(typing, n)
                continue
            if n != entry and n in getattr(sys, "stdlib_module_names", ()):
                try:
                    g[n] = importlib.import_module(n)
                    continue
                except ImportError:
                    pass
            g[n] = _Global(ctx, n)
    solution = types.ModuleType("solution")
    solution.__getattr__ = lambda name: _Global(ctx, name)
    sys.modules["solution"] = solution
    g["_crucible_assert"] = lambda thunk, line: _assert(ctx, thunk, line)
    g["_crucible_stmt"] = lambda thunk: _statement(ctx, thunk)
    rewritten = ast.fix_missing_locations(_Rewriter().visit(tree))
    error = None
    try:
        exec(compile(rewritten, "check.py", "exec"), g)
        check = g.get("check")
        if entry and callable(check) and not _calls_name_at_top(tree, "check"):
            check(g[entry])
        elif not callable(check):
            for name, f in list(g.items()):
                if name.startswith("test_") and _isinstance(f, types.FunctionType) and f.__code__.co_filename == "check.py":
                    if f.__code__.co_argcount:
                        raise _HarnessLimit("test function %s takes arguments (pytest fixtures are not supported)" % name)
                    f()
    except _NeedResult:
        pass
    except _Forced:
        pass
    except _HarnessLimit as e:
        return {"s": "harness", "m": _str(e)}
    except BaseException as e:
        error = e
    if ctx.forced is not None:
        return {"s": "forced", "k": ctx.forced[0], "m": ctx.forced[1]}
    if ctx.pending:
        return {"s": "need", "ops": [{"key": _json_dumps(op, sort_keys=True, separators=(",", ":")), "op": op}
                                     for op in ctx.ops]}
    if error is None:
        if not ctx.ops:
            return {"s": "harness", "m": "the assertion script finished without calling the solution, so it tested "
                                        "nothing (is the entry point set? HumanEval's check(candidate) needs it)"}
        return {"s": "pass"}
    line = ctx.failed_line
    lines = script.splitlines()
    where = ("line %d: %s" % (line, lines[line - 1].strip()[:300])) if line and line <= _len(lines) else ""
    if _isinstance(error, AssertionError):
        text = _str(error)
        if not where:
            tb = traceback.extract_tb(error.__traceback__)
            for fr in reversed(tb):
                if fr.filename == "check.py" and fr.lineno and fr.lineno <= _len(lines):
                    where = "line %d: %s" % (fr.lineno, lines[fr.lineno - 1].strip()[:300])
                    break
        return {"s": "fail", "m": ("assertion failed at " + where if where else "assertion failed") +
                (" (" + text[:300] + ")" if text else "")}
    origin = getattr(error, "_crucible_candidate", None)
    if origin:
        return {"s": "raised", "m": "the solution raised " + origin}
    return {"s": "error", "m": "the check raised %s: %s" % (_type(error).__name__, _str(error)[:300])}


def _run_check(req):
    prompt = req.get("prompt")
    for t in req["tests"]:
        out = _check_one(t, prompt)
        out["t"] = "c"
        out["i"] = t["i"]
        _emit(out)
    _emit({"t": "done"})


def _main():
    global _NONCE
    # Set per run, not at import: a zygote preloads this module, and its other programs keep Python's defaults.
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)
    sys.setrecursionlimit(300000)
    mode = sys.argv[1] if _len(sys.argv) > 1 else "stdio"
    if mode == "stdio":
        _run_stdio()
        return
    signal.signal(signal.SIGPROF, _on_prof)
    _tick()
    try:
        _NONCE, req = _read_request()
        _seal_channel()
        if mode == "call":
            _run_calls(req)
        elif mode == "ops":
            _run_ops(req)
        elif mode == "check":
            _run_check(req)
        elif mode == "official":
            _run_official(req)
        else:
            raise SystemExit("unknown harness mode " + mode)
    finally:
        # An exit through the interpreter's shutdown restores SIGPROF's default action, which a tick would then
        # turn into a kill by signal.
        _setitimer(_ITIMER_PROF, 0)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
