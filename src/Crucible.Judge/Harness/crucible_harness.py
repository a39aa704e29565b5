# Crucible judge harness. It runs inside the sandbox as the session's program; the judge appends the candidate's
# source (base64) and the call to _main(). See docs/judge.md for the design and its threat model. This file is its
# core; harness_evalplus.py, harness_candidate.py and harness_check.py follow it in the same program
# (PythonHarness.Parts).
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
_map, _min, _max, _all, _isfinite = map, min, max, all, math.isfinite
_INTS, _STRS, _FLOATS = frozenset((int,)), frozenset((str,)), frozenset((float,))
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
_CPU_READ_EVERY = 0.005  # see _timed


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
    exceptions (SystemExit included) escape. With `clock` (a two-item list: the process CPU time last read and the
    wall clock then), consecutive calls share the CPU clock, a system call that cost a sixth of the harness's time
    per input: a call that returns normally within _CPU_READ_EVERY of the last reading takes its wall time as its
    CPU time (an upper bound for the one thread that runs it) and reads nothing; otherwise the clock is read after
    it. A call's start is then the last reading plus the wall time since, which is never before the true start, so
    its alarm is never early; a long call measured from it may come out short by that window at most."""
    w0 = _perf_counter()
    shared = clock is not None and clock[0] is not None
    c0 = clock[0] + (w0 - clock[1]) if shared else _process_time()
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
    w1 = _perf_counter()
    wall = w1 - w0
    if shared and out[0] == "ok" and w1 - clock[1] < _CPU_READ_EVERY:
        cpu = wall
    else:
        c1 = _process_time()
        cpu = c1 - c0 if c1 > c0 else 0.0
        if clock is not None:
            clock[0], clock[1] = c1, w1
    if out[0] != "timeout" and cpu > limit:
        out = ("timeout", None)
    return out[0], out[1], cpu, wall


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
