"""verl reward functions backed by a Crucible execution service (``crucible serve``).

Standard library only. Two entry points, named and shaped as verl calls them:

* ``compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs)`` for verl's per-item
  reward managers (``naive``, ``prime``);
* ``compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, **kwargs)`` for
  ``reward_model.reward_manager=batch``: one HTTP request scores a whole batch.

Both POST to ``/v1/rewards``. Options come as keyword arguments (verl passes
``custom_reward_function.reward_kwargs``) or environment variables:

``url``            one or more server URLs, comma-separated (``CRUCIBLE_URL``, default http://127.0.0.1:8080), or one
                   Kubernetes Service URL; each request goes to the replica with the least work per execution
                   slot (this process's own plus what the replica reports in ``X-Crucible-Load``), draining
                   replicas are left alone, and a request moves to another replica on refusal, 429, 5xx, lost
                   connection or timeout. Every attempt of one request carries the same ``Idempotency-Key``, so a
                   replica that sees a retry answers it from the first attempt instead of judging it twice.
``token``          bearer token when the server requires one (``CRUCIBLE_TOKEN``).
``scoring``        ``binary`` (1 when every selected test passes; default) or ``fraction``.
``test_policy``    ``all`` (default), ``first`` or ``longest``; ``test_count`` N for the last two.
``language``       language of the code when neither extra_info["language"] nor the code fence names one.
``on_infra_error`` what to do with an item the service could not judge after every retry: ``raise``
                   (default: CrucibleInfraError, so training never learns from a broken sandbox) or a number
                   to use as its score; such items are flagged ``infra_error = 1`` in the returned dict.
``on_invalid``     the same choice for an item the service calls invalid (unreadable ground truth, unknown
                   language): ``raise`` (default) or a number; such items are flagged ``invalid = 1``.
``return_dict``    True (default): ``{"score", "passed_tests", "total_tests", "infra_error", "invalid"}`` per item, which
                   verl's naive and batch managers log as reward_extra_info; the dict also answers ``result[0]``
                   with the score, which is how verl's prime manager reads a result that is not a number.
                   False: plain floats.
``cpu_time_limit_s`` CPU seconds per test for every item, or the name of a trainer whose limit to use
                   (``"rllm"`` 6 s, ``"verl"`` 10 s — see TRAINER_TIME_LIMITS_S); default: the data source's rule
                   on the server (docs/rewards.md), which follows the trainer that normally scores that source.
``comparison``     how outputs compare for every item: a preset name (``livecodebench``, ``apps``, ``evalplus``,
                   ``default``, ``exact``) or a dict of the server's comparison fields; default: the data source's rule.
``data_source_rules`` True (default): each item's data_source picks comparison, time per test and test selection
                   as its trainer's reward code does; False: the server's plain defaults for every item.

Loading. verl loads this file by path under a generated module name that no other process can import, and the
``prime`` manager pickles ``compute_score`` into a ProcessPoolExecutor. ``compute_score`` and ``compute_score_batch``
are therefore objects that pickle as this module's source text (rebuilt in the worker whatever its start method —
fork, spawn, forkserver — or machine, as with Ray), and the module registers itself under its own name so results
pickle back to the parent.
``max_attempts``   tries per request and per infra-error item (default 4); ``timeout`` seconds per HTTP call.
``batch_size``     items per HTTP request in compute_score_batch (default 256; keep it under the server's capacity).
"""

import json
import operator
import os
import random
import sys
import time
import types
import urllib.error
import urllib.request
import uuid

__all__ = ["compute_score", "compute_score_batch", "CrucibleInfraError", "CrucibleRequestError", "RewardResult",
           "TRAINER_TIME_LIMITS_S", "CRUCIBLE_DEFAULT_CPU_TIME_S"]

# Time per test that each trainer's own code reward gives (wall-clock there; CPU time in Crucible, with a wall
# backstop of 2 x CPU + 1 s). docs/rewards.md has the table beside the server's per-data-source defaults.
TRAINER_TIME_LIMITS_S = {
    "rllm": 6.0,                  # rllm RewardCodeFn: lcb_check_correctness_v2(timeout=6) per test
    "verl": 10.0,                 # verl sandbox_fusion: run_timeout = compile_timeout = 10 per test
    "verl_sandbox_fusion": 10.0,
    "verl_prime_code": 5.0,       # verl prime_code: apps check_correctness(timeout=5)
}
# The judge's CPU time per test when neither a data-source rule nor the request sets one.
CRUCIBLE_DEFAULT_CPU_TIME_S = 2.0


class CrucibleInfraError(RuntimeError):
    """The service could not judge an item after every retry: the result says nothing about the code."""


class CrucibleRequestError(ValueError):
    """The service rejected the request itself (a bad field); retrying will not help. ``field`` names it."""

    def __init__(self, message, field=None, status=None):
        super().__init__(message)
        self.field = field
        self.status = status


_TRANSIENT = {429, 500, 502, 503, 504}
_next_server = random.randrange(1 << 16)


def _servers(url):
    url = url or os.environ.get("CRUCIBLE_URL") or "http://127.0.0.1:8080"
    servers = [u.strip().rstrip("/") for u in str(url).split(",") if u.strip()]
    if not servers:
        raise CrucibleRequestError("no Crucible server URL: pass url=... or set CRUCIBLE_URL", field="url")
    return servers


def _plain(value):
    """json.dumps fallback for what verl hands over: numpy scalars and arrays, tuples, sets."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"cannot send {type(value).__name__} as JSON")


# What this process knows of each replica: its own outstanding work units there, the units other clients had there
# at the last answer (X-Crucible-Load), the replica's execution slots, and until when to leave it alone. Advisory
# only (a lost update between threads skews the weighing, never an answer), so no lock: a lock would also make the
# module's functions unpicklable for reward managers that ship them to worker processes.
_replicas = {}
_REPORT_LIFETIME = 3.0


def _replica(server):
    return _replicas.setdefault(server, {"outstanding": 0, "others": 0, "slots": 0, "at": 0.0, "avoid_until": 0.0})


def _pick_server(servers, previous):
    """The replica with the least work per slot, not the one just tried while another is available; ties rotate."""
    global _next_server
    now = time.monotonic()
    _next_server += 1
    start = _next_server % len(servers)
    ordered = servers[start:] + servers[:start]
    candidates = [s for s in ordered if len(servers) == 1 or s != previous]
    available = [s for s in candidates if _replica(s)["avoid_until"] <= now]
    if not available:
        available = [previous] if previous and _replica(previous)["avoid_until"] <= now else candidates

    def score(s):
        r = _replica(s)
        others = r["others"] if now - r["at"] < _REPORT_LIFETIME else 0
        return (r["outstanding"] + others + 1.0) / max(1, r["slots"])

    return min(available, key=score)


def _has_alternative(servers, server):
    now = time.monotonic()
    return any(s != server and _replica(s)["avoid_until"] <= now for s in servers)


def _outstanding(server, units):
    _replica(server)["outstanding"] += units


def _avoid(server, seconds):
    r = _replica(server)
    r["avoid_until"] = max(r["avoid_until"], time.monotonic() + seconds)


def _note_load(server, header, units_done):
    """Reads ``in_flight=N; queued=N; max_in_flight=N; ready=0|1``; a replica that is not ready is going away."""
    if not header:
        return
    fields = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if value.strip().isdigit():
            fields[name] = int(value)
    if fields.get("max_in_flight", 0) <= 0:
        return
    r = _replica(server)
    own = max(0, r["outstanding"] - units_done)
    r["others"] = max(0, fields.get("in_flight", 0) + fields.get("queued", 0) - own)
    r["slots"] = fields["max_in_flight"]
    r["at"] = time.monotonic()
    if fields.get("ready", 1) == 0:
        r["avoid_until"] = max(r["avoid_until"], r["at"] + _REPORT_LIFETIME)


def _post(servers, path, body, token, timeout, max_attempts):
    """POSTs JSON to the least loaded replica, retrying transient failures on another; returns the parsed answer."""
    data = json.dumps(body, default=_plain).encode("utf-8")
    key = uuid.uuid4().hex  # one per logical request, the same on every attempt
    units = max(1, len(body.get("items") or ()))
    last = None
    server = None
    for attempt in range(max_attempts):
        server = _pick_server(servers, server)
        request = urllib.request.Request(server + path, data=data, method="POST",
                                         headers={"Content-Type": "application/json", "Accept": "application/json",
                                                  "Idempotency-Key": key})
        if token:
            request.add_header("Authorization", "Bearer " + token)
        delay = min(0.2 * (2 ** attempt), 5.0) * (0.5 + random.random())
        _outstanding(server, units)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                _note_load(server, response.headers.get("X-Crucible-Load"), units)
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            _note_load(server, e.headers.get("X-Crucible-Load") if e.headers else None, units)
            text = e.read().decode("utf-8", "replace")
            try:
                error = json.loads(text).get("error") or {}
            except ValueError:
                error = {}
            message = f"{server}{path} answered {e.code}: {error.get('message') or text[:300]}"
            if e.code not in _TRANSIENT:
                raise CrucibleRequestError(message, field=error.get("field"), status=e.code) from None
            last = message
            retry_after = e.headers.get("Retry-After") if e.headers else None
            if e.code == 503:
                _avoid(server, float(retry_after) if retry_after and retry_after.isdigit() else 1.0)
            # Retry-After is the busy replica's wish for itself: waited for only when no other replica can take it.
            if retry_after and retry_after.isdigit() and not _has_alternative(servers, server):
                delay = max(delay, min(float(retry_after), 30.0))
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
            last = f"{server}{path}: {getattr(e, 'reason', e)}"
            _avoid(server, 1.0)
        finally:
            _outstanding(server, -units)
        if attempt + 1 < max_attempts:
            time.sleep(delay)
    raise CrucibleInfraError(f"no Crucible server answered after {max_attempts} attempts: {last}")


def _options(kwargs):
    return {
        "servers": _servers(kwargs.get("url")),
        "token": kwargs.get("token") or os.environ.get("CRUCIBLE_TOKEN") or None,
        "scoring": kwargs.get("scoring", "binary"),
        "tests": {"policy": kwargs.get("test_policy", "all"), "count": kwargs.get("test_count")},
        "language": kwargs.get("language"),
        "on_infra_error": kwargs.get("on_infra_error", "raise"),
        "on_invalid": kwargs.get("on_invalid", "raise"),
        "return_dict": _flag(kwargs.get("return_dict", True)),
        "max_attempts": int(kwargs.get("max_attempts", 4)),
        "timeout": float(kwargs.get("timeout", 600)),
        "batch_size": int(kwargs.get("batch_size", 256)),
        "cpu_time_limit_s": _time_limit(kwargs.get("cpu_time_limit_s")),
        "comparison": _comparison(kwargs.get("comparison")),
        "data_source_rules": _flag(kwargs.get("data_source_rules", True)),
    }


def _flag(value):
    """A boolean option as Hydra may pass it: a bool, or text such as "false"."""
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off", "")
    return bool(value)


def _time_limit(value):
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().lower() in TRAINER_TIME_LIMITS_S:
        return TRAINER_TIME_LIMITS_S[value.strip().lower()]
    try:
        return float(value)
    except (TypeError, ValueError):
        raise CrucibleRequestError(f"cpu_time_limit_s must be seconds or one of {sorted(TRAINER_TIME_LIMITS_S)}, got {value!r}",
                                   field="cpu_time_limit_s") from None


def _comparison(value):
    if value is None or value == "":
        return None
    return {"preset": value} if isinstance(value, str) else dict(value)


def _item(data_source, solution_str, ground_truth, extra_info):
    return {"data_source": data_source, "solution_str": solution_str, "ground_truth": ground_truth,
            "extra_info": extra_info if extra_info is not None else {}}


def _score_items(items, o):
    """Scores items in batches; items that come back as infra errors are re-sent alone until attempts run out."""
    results = [None] * len(items)
    pending = list(range(len(items)))
    for _round in range(o["max_attempts"]):
        if not pending:
            break
        still = []
        for start in range(0, len(pending), o["batch_size"]):
            chunk = pending[start:start + o["batch_size"]]
            body = {"items": [items[i] for i in chunk], "scoring": o["scoring"], "tests": o["tests"]}
            if o["language"]:
                body["language"] = o["language"]
            if o["cpu_time_limit_s"]:
                body["cpu_time_limit_s"] = o["cpu_time_limit_s"]
            if o["comparison"]:
                body["comparison"] = o["comparison"]
            if not o["data_source_rules"]:
                body["data_source_rules"] = False
            answer = _post(o["servers"], "/v1/rewards", body, o["token"], o["timeout"], o["max_attempts"])
            for r in answer["results"]:
                i = chunk[r["index"]]
                results[i] = r
                if r["status"] == "infra_error":
                    still.append(i)
        pending = still
    return [_finish(r, o) for r in results]


def _finish(r, o):
    status = r["status"]
    if status == "scored":
        score = float(r["score"])
    else:
        policy = o["on_infra_error"] if status == "infra_error" else o["on_invalid"]
        if policy == "raise":
            kind = CrucibleInfraError if status == "infra_error" else CrucibleRequestError
            raise kind(f"item {r['index']} was not scored ({status}): {r.get('error')}")
        score = float(policy)
    if not o["return_dict"]:
        return score
    return RewardResult(score=score, passed_tests=r.get("passed_tests", 0), total_tests=r.get("total_tests", 0),
                        infra_error=1 if status == "infra_error" else 0, invalid=1 if status == "invalid" else 0)


class RewardResult(dict):
    """One item's reward as a dict (verl's naive and batch managers take ``score`` and log every key), which also
    answers ``result[0]`` with the score: verl's prime manager reads any result that is not a number as
    ``float(result[0])``."""

    def __getitem__(self, key):
        if key == 0 and not dict.__contains__(self, key):
            return dict.__getitem__(self, "score")
        return dict.__getitem__(self, key)

    def __float__(self):
        return float(dict.__getitem__(self, "score"))


def _compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's per-item reward: the item's score (or a dict with it, see return_dict)."""
    o = _options(kwargs)
    return _score_items([_item(data_source, solution_str, ground_truth, extra_info)], o)[0]


def _compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, **kwargs):
    """verl's batch reward (reward_manager=batch): one score (or dict) per item, in order."""
    o = _options(kwargs)
    n = len(solution_strs)
    if extra_infos is None:
        extra_infos = [None] * n
    if not (len(data_sources) == len(ground_truths) == len(extra_infos) == n):
        raise CrucibleRequestError(f"batch lists differ in length: {len(data_sources)} data_sources, {n} solution_strs, "
                                   f"{len(ground_truths)} ground_truths, {len(extra_infos)} extra_infos", field="items")
    items = [_item(data_sources[i], solution_strs[i], ground_truths[i], extra_infos[i]) for i in range(n)]
    return _score_items(items, o)


# ---------------------------------------------------------------------------------------------------------------
# Loading the way verl does: by file path, under a generated name (custom_module_<hash>) that no other process can
# import, then pickled into prime's ProcessPoolExecutor (or to a Ray worker). A plain function would pickle as a
# reference to that name and fail. These objects pickle as the module's source text instead: unpickling runs it
# again, under the same module name, wherever that happens.

def _source_text():
    try:
        with open(__file__, encoding="utf-8") as f:
            return f.read()
    except (NameError, OSError):
        return None


# Rebuilt from a pickle, the source arrives with it (a Ray worker may not have the file).
_SOURCE = globals().get("_crucible_source") or _source_text()

# Run on unpickling: reuse this module when the process already has it under the same name and source (a forked
# worker, or every call after the first in a spawned one); otherwise execute the source, which registers it.
_REBUILD = """
import sys as _sys
_known = _sys.modules.get(__name__)
if _known is not None and getattr(_known, "_SOURCE", None) == _crucible_source:
    globals().update(compute_score=_known.compute_score, compute_score_batch=_known.compute_score_batch)
else:
    exec(compile(_crucible_source, __file__ or "crucible_reward.py", "exec"), globals())
"""


class _Rebuilt:
    """Pickles as exec(rebuild, namespace): the namespace, filled, comes back out of a tuple."""

    def __init__(self, namespace):
        self.namespace = namespace

    def __reduce__(self):
        return operator.getitem, ((_Exec(_REBUILD, self.namespace), self.namespace), 1)


class _Exec:
    def __init__(self, source, namespace):
        self.source, self.namespace = source, namespace

    def __reduce__(self):
        return exec, (self.source, self.namespace)


class _RewardFunction:
    """A reward function that pickles by value, so verl's process pools and Ray workers can run it."""

    def __init__(self, name, fn):
        self.__name__ = self.__qualname__ = name
        self.__doc__ = fn.__doc__
        self.__module__ = __name__
        self.__wrapped__ = fn
        self._fn = fn

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def __repr__(self):
        return "<crucible reward function %s>" % self.__name__

    def __reduce__(self):
        if _SOURCE is None:
            raise TypeError("crucible_reward: the module's source file cannot be read, so %s cannot be pickled" % self.__name__)
        namespace = {"__name__": __name__, "__file__": globals().get("__file__"), "__builtins__": __builtins__,
                     "_crucible_source": _SOURCE}
        return operator.getitem, (_Rebuilt(namespace), self.__name__)


compute_score = _RewardFunction("compute_score", _compute_score)
compute_score_batch = _RewardFunction("compute_score_batch", _compute_score_batch)


def _register():
    """Makes this module findable by its name in sys.modules when it was loaded by path (verl's loader leaves it
    out), so RewardResult values pickle back from a worker to the process that loaded it."""
    global RewardResult
    current = sys.modules.get(__name__)
    if current is not None and getattr(current, "__dict__", None) is globals():
        return  # an ordinary import
    if current is not None and getattr(current, "_SOURCE", None) == _SOURCE and _SOURCE is not None:
        # Rebuilt where this module is already registered (a forked worker, or unpickled in the loading process):
        # keep one RewardResult class per name, so results pickle as the registered one.
        RewardResult = current.RewardResult
        return
    proxy = types.ModuleType(__name__)
    proxy.__dict__.update(globals())
    sys.modules[__name__] = proxy


_register()
