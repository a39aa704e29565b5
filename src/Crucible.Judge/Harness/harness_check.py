# Crucible judge harness, part: the trusted check driver of assertion tests. The parts are one program, joined in the order of
# PythonHarness.Parts (crucible_harness.py first); see crucible_harness.py for the modes and the threat model.

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
        if (_type(x) is _Ref or _type(x) is _Global) and x._ctx is ctx:
            return x._target
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
        raise _HarnessLimit("the check uses the solution's name %r as a value" % object.__getattribute__(self, "_target")["$name"])
    ctx.forced = ("value", "the solution returned a %s object where the check needs a value; only builtin values "
                           "(numbers, strings, lists, tuples, dicts, sets, None) are accepted" % known_type)
    raise _Forced()


class _Standin(object):
    """What the check holds in place of something in the candidate's process; `_target` is how an operation names
    it there ({"$ref": k} or {"$name": name}), `_type` what is known of it (None: not known yet)."""
    __slots__ = ("_ctx", "_target", "_type")

    def __init__(self, ctx, target, type_name):
        object.__setattr__(self, "_ctx", ctx)
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_type", type_name)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _remote(self._ctx, {"op": "getattr", "target": self._target, "name": name})

    def __call__(self, *args, **kwargs):
        ctx = self._ctx
        spec = {"op": "call", "target": self._target, "args": [_encode_arg(ctx, a) for a in args],
                "kwargs": {n: _encode_arg(ctx, a) for n, a in kwargs.items()}}
        return _remote(ctx, spec, (args, kwargs))


class _Ref(_Standin):
    """The result of a remote operation: unknown yet (type None) or an object that stays in the candidate."""
    __slots__ = ()

    def __init__(self, ctx, k, type_name):
        _Standin.__init__(self, ctx, {"$ref": k}, type_name)

    def __repr__(self):
        return "<solution value #%d>" % self._target["$ref"]


class _Global(_Standin):
    """Stand-in for a name the solution defines (the entry point, a helper class)."""
    __slots__ = ()

    def __init__(self, ctx, name):
        _Standin.__init__(self, ctx, {"$name": name}, "name")

    def __repr__(self):
        return "<solution %s>" % self._target["$name"]


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
