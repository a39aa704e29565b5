"""Crucible repository-map helper: Python's own parser (ast) over a batch of files.

Run as `python3 -I python_symbols.py`; reads one JSON request on stdin, writes one JSON answer on stdout.
Nothing is executed: files are only parsed (ast.parse) and compiled to code objects (compile), never run.

  {"op": "parse", "files": [{"path": ..., "text": ...}]}
      -> {"files": [{"path", "error"?, "defs": [...], "refs": {name: count}, "imports": [...]}]}
  {"op": "check", "files": [{"path": ..., "before": ... | null, "after": ...}]}
      -> {"files": [{"path", "syntax_error"?, "new_undefined": [{"name", "line"}]}]}
"""
import ast
import builtins
import json
import sys

MODULE_NAMES = {"__file__", "__name__", "__doc__", "__builtins__", "__spec__", "__loader__", "__package__",
                "__path__", "__annotations__", "__class__", "__dict__", "__module__", "__qualname__"}
KNOWN = set(dir(builtins)) | MODULE_NAMES


def syntax_error(text, path):
    try:
        tree = ast.parse(text, filename=path)
        compile(tree, path, "exec", dont_inherit=True)
        return tree, None
    except SyntaxError as e:
        return None, {"line": e.lineno or 0, "message": e.msg or "invalid syntax", "text": (e.text or "").rstrip("\n")}
    except (ValueError, RecursionError, MemoryError) as e:
        return None, {"line": 0, "message": str(e), "text": ""}


def header_end(node):
    body = getattr(node, "body", None)
    if body and body[0].lineno > node.lineno:
        return body[0].lineno - 1
    return node.lineno


def definitions(tree):
    out = []

    def walk(nodes, parent):
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                kind = "class" if isinstance(node, ast.ClassDef) else ("method" if parent and parent[1] == "class" else "function")
                qual = (parent[0] + "." if parent else "") + node.name
                start = min([d.lineno for d in node.decorator_list] + [node.lineno])
                out.append({"name": node.name, "kind": kind, "qualified_name": qual, "line": start,
                            "def_line": node.lineno, "end_line": node.end_lineno or node.lineno,
                            "header_end_line": header_end(node)})
                walk(node.body, (qual, kind))
            elif isinstance(node, (ast.If, ast.Try, ast.With, ast.AsyncWith)) and parent is None:
                # Module-level definitions guarded by `if TYPE_CHECKING:` / `try: import` are still the file's API.
                for field in ("body", "orelse", "finalbody"):
                    walk(getattr(node, field, []) or [], parent)
                for h in getattr(node, "handlers", []) or []:
                    walk(h.body, parent)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and parent is None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        out.append({"name": t.id, "kind": "variable", "qualified_name": t.id, "line": node.lineno,
                                    "def_line": node.lineno, "end_line": node.end_lineno or node.lineno,
                                    "header_end_line": node.lineno})

    walk(tree.body, None)
    return out


def references(tree):
    refs = {}
    imports = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            name = node.id
        elif isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.Import):
            imports.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            imports.append(base)
            for a in node.names:
                refs[a.name] = refs.get(a.name, 0) + 1
        if name:
            refs[name] = refs.get(name, 0) + 1
    return refs, imports


def bound_names(tree):
    """Every name bound anywhere in the module; None when a star import makes the set unknowable."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, ast.Import):
            for a in node.names:
                bound.add(a.asname or a.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                if a.name == "*":
                    return None
                bound.add(a.asname or a.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.MatchAs) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif type(node).__name__ in ("TypeVar", "ParamSpec", "TypeVarTuple"):
            bound.add(node.name)
    return bound


def undefined(tree):
    bound = bound_names(tree)
    if bound is None:
        return {}
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound and node.id not in KNOWN:
            line = found.get(node.id)
            found[node.id] = node.lineno if line is None else min(line, node.lineno)
    return found


def parse(files):
    out = []
    for f in files:
        tree, error = syntax_error(f["text"], f["path"])
        if tree is None:
            out.append({"path": f["path"], "error": error, "defs": [], "refs": {}, "imports": []})
            continue
        refs, imports = references(tree)
        out.append({"path": f["path"], "defs": definitions(tree), "refs": refs, "imports": imports})
    return out


def check(files):
    out = []
    for f in files:
        tree, error = syntax_error(f["after"], f["path"])
        if tree is None:
            out.append({"path": f["path"], "syntax_error": error, "new_undefined": []})
            continue
        before = {}
        if f.get("before") is not None:
            old, _ = syntax_error(f["before"], f["path"])
            before = undefined(old) if old is not None else {}
        after = undefined(tree)
        new = [{"name": n, "line": line} for n, line in sorted(after.items(), key=lambda x: x[1]) if n not in before]
        out.append({"path": f["path"], "new_undefined": new})
    return out


def main():
    sys.setrecursionlimit(10000)
    request = json.load(sys.stdin)
    op = request.get("op")
    if op == "parse":
        result = parse(request["files"])
    elif op == "check":
        result = check(request["files"])
    else:
        raise SystemExit("unknown op: %r" % (op,))
    json.dump({"files": result}, sys.stdout)


if __name__ == "__main__":
    main()
