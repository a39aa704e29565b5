# Crucible judge harness, part: EvalPlus's execution environment for a solution. The parts are one program, joined in the order of
# PythonHarness.Parts (crucible_harness.py first); see crucible_harness.py for the modes and the threat model.

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


def _guard_module(module, names):
    """Sets the module's functions that EvalPlus's guard sets to None."""
    for name in names:
        setattr(module, name, None)


class _GuardedLoader(object):
    """Loads a module as its own loader does, then sets EvalPlus's None functions on it."""

    def __init__(self, inner, names):
        self._inner, self._names = inner, names

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        self._inner.exec_module(module)
        _guard_module(module, self._names)


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
    # EvalPlus disables faulthandler. It is on only when the interpreter was started with it (-X faulthandler,
    # PYTHONFAULTHANDLER) or something imported and enabled it; otherwise it is already off, and its import alone cost
    # a run ~0.4 ms (a third of this environment's cost).
    if "faulthandler" in sys.modules or "faulthandler" in getattr(sys, "_xoptions", {}) or os.environ.get("PYTHONFAULTHANDLER"):
        import faulthandler
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
        if module is not None:
            _guard_module(module, attrs)
    if any(sys.modules.get(name) is None for name in _EVALPLUS_NONE_ATTRS):
        sys.meta_path.insert(0, _GuardOnImport())
    builtins.help = None
    for name in _EVALPLUS_NONE_MODULES:
        sys.modules[name] = None
    sys.stdin = _NoStdin()
