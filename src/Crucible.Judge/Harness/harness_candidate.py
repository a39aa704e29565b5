# Crucible judge harness, part: the candidate side (calls, the official comparison, operations, stdio). The parts are one program, joined in the order of
# PythonHarness.Parts (crucible_harness.py first); see crucible_harness.py for the modes and the threat model.

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


def _load(prelude, limit, req=None):
    source = _candidate_source()
    if req is not None and req.get("evalplus"):
        _evalplus_environment(_NUMPY in source)
    mod = types.ModuleType("solution")
    mod.__file__ = "/box/solution.py"
    sys.modules["solution"] = mod
    try:
        code = compile(source, "solution.py", "exec")
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
    digest_from = req.get("digest_from") or 0
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
    clock = [None, 0.0]
    # A module-level function is looked up once per group, as EvalPlus's evaluator and the official check(candidate)
    # harnesses bind it once; a method is called on a fresh instance for each test (LeetCode's rule).
    functions = {}
    header = None
    for n, t in enumerate(tests):
        i, limit, args, h = t
        if h is not header:  # consecutive tests share their header (_call_tests): its fields read once
            header = h
            plain, fn, cls, not_none, oracle_args, evalplus = h.get("p"), h["fn"], h.get("cls"), h.get("nn"), h.get("oa"), h.get("ep")
        if not plain:
            args = _dec(args)

        def call():
            f = None if cls else functions.get(fn)
            if f is None:
                f = _resolve_function(mod, fn, cls)
                if not cls and mod.__dict__.get(fn) is f:  # not a method of a fresh Solution() (the fallback)
                    functions[fn] = f
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
            elif to is _list:
                # A flat list of exact ints of decimal size, of exact strs or of finite floats (most returned lists)
                # goes to the C encoder as it is: its element types checked in C, not one comparison each in Python.
                kinds = _set(_map(_type, out))
                if kinds <= _INTS:
                    if not out or (-_HEX_LIMIT < _min(out) and _max(out) < _HEX_LIMIT):
                        return _encode(out)
                elif kinds <= _STRS or (kinds <= _FLOATS and _all(_map(_isfinite, out))):
                    return _encode(out)
            return _enc(out)

        _CONVERTED[0] = False
        status, payload, cpu, wall = _timed(call, limit, clock)
        if status == "ok":
            extra = ',"x":1' if _CONVERTED[0] else ""
            if oracle_args:
                # EvalPlus's oracle reads the arguments after the call (a solution may have changed them in place).
                try:
                    extra += ',"a2":' + _encode(_enc(_list(args)))
                except BaseException:
                    extra += ',"a2":null'
            # The common record written directly (what json.dumps of the record's dict gives): one encoder call for
            # the value instead of one for the whole record, and the next test's start marker in the same write.
            # Times to the microsecond ("%.6f" costs half of repr); a call whose CPU time is its wall time (_timed)
            # sends one, which the host reads as both.
            value = payload if _type(payload) is _str else _encode(payload)
            if digest_from and _len(value) > digest_from:
                # A large value is sent as its digest (_digest_fields): the host decides from it, so a run's output
                # stays small and all of a split's tests run in one process, however large their answers.
                text = '%s{"t":"r","i":%d,"s":"ok","cpu":%.6f,"wall":%.6f%s%s}\n' % (
                    prefix, i, cpu, wall, _digest_fields(value), extra)
            elif cpu is wall:
                text = '%s{"t":"r","i":%d,"s":"ok","cpu":%.6f,"v":%s%s}\n' % (prefix, i, cpu, value, extra)
            else:
                text = '%s{"t":"r","i":%d,"s":"ok","cpu":%.6f,"wall":%.6f,"v":%s%s}\n' % (
                    prefix, i, cpu, wall, value, extra)
            if marks and n < last:
                text += '%s{"t":"s","i":%d}\n' % (prefix, tests[n + 1][0])
            _write(text)
            continue
        rec = {"t": "r", "i": i, "s": status, "cpu": cpu, "wall": wall}
        if _isinstance(payload, _dict):
            rec.update(payload)
        # An EvalPlus value that is not a plain builtin may still pass officially: keep going for that verdict.
        stopping = stop and not (status == "bad" and evalplus)
        # The next test's start marker leaves with this result, before that test runs.
        _emit(rec, None if stopping or n == last or not marks else {"t": "s", "i": tests[n + 1][0]})
        if stopping:
            break


def _digest_fields(text):
    """The record fields that stand for a large returned value: the SHA-256 of its JSON text (as the host would have
    read it), its length, its first characters for a message, and whether it holds a NaN (a NaN is not equal to
    itself, so equal text does not mean an equal value there). A value that is a str has JSON text starting with a
    quote (only an exact str is written as a bare JSON string)."""
    digest = _import_unguarded("hashlib").sha256(text.encode("ascii")).hexdigest()
    nan = ',"nan":1' if '"nan"' in text else ""
    return ',"d":"%s","n":%d,"p":%s%s' % (digest, _len(text), _str_json(text[:200]), nan)


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
        _note_mutation(out, _str(idx), before, after)
    for name, before in (op.get("kwargs") or {}).items():
        _note_mutation(out, "kw:" + name, before, kwargs.get(name))
    return out


def _note_mutation(out, key, before, after):
    """Records a mutable argument's new encoding under `key` when the call changed it (unencodable ones are left)."""
    if _type(after) in (_list, _dict, _set, _bytearray):
        try:
            now = _enc(after)
        except _Unsupported:
            return
        if now != before:
            out[key] = now


def _run_stdio():
    mod = types.ModuleType("__main__")
    mod.__file__ = "/box/main.py"
    sys.modules["__main__"] = mod
    sys.argv = ["/box/main.py"] + sys.argv[2:]
    exec(compile(_candidate_source(), "/box/main.py", "exec"), mod.__dict__)
