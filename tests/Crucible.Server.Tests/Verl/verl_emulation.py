"""How verl loads and calls a custom reward function, reproduced without verl (which is not installable here).

Each function below follows the verl source it names (verl/utils/import_utils.py load_module/load_extern_object,
verl/trainer/ppo/reward.py get_custom_reward_fn, verl/workers/reward_manager/{naive,prime,batch}.py): the same
module naming, the same functools.partial wrapper, the same call shapes (keywords for naive and batch, positional
arguments through a ProcessPoolExecutor for prime) and the same reading of the results. Written for Crucible's
tests; the reward managers' tensor bookkeeping is left out, the scores they would write are returned instead.
"""

import asyncio
import importlib.util
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
import multiprocessing

import numpy as np


def load_extern_object(module_path, object_name):
    """verl load_module(path) with no module_name: a spec named custom_module_<hash>, not put in sys.modules."""
    spec = importlib.util.spec_from_file_location(f"custom_module_{hash(os.path.abspath(module_path))}", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, object_name)


def _call_with_kwargs(raw_fn, extra_kwargs, *args, **kwargs):
    """verl reward.py: the configured reward_kwargs win over the call's own."""
    return raw_fn(*args, **{**kwargs, **extra_kwargs})


def get_custom_reward_fn(path, name, reward_kwargs):
    return partial(_call_with_kwargs, load_extern_object(path, name), dict(reward_kwargs))


def naive(compute_score, rows):
    """NaiveRewardManager: one keyword call per row; a dict result gives score and reward_extra_info."""
    rewards, extra = [], {}
    for row in rows:
        extra_info = dict(row.get("extra_info") or {})
        extra_info["num_turns"] = None
        extra_info["rollout_reward_scores"] = {}
        score = compute_score(data_source=row["data_source"], solution_str=row["solution_str"],
                              ground_truth=row["ground_truth"], extra_info=extra_info)
        if isinstance(score, dict):
            reward = score["score"]
            for key, value in score.items():
                extra.setdefault(key, []).append(value)
        else:
            reward = score
        rewards.append(float(reward))
    return {"rewards": rewards, "extra": extra}


async def _single(evaluation_func, completion, reference, task, extra_info, executor):
    loop = asyncio.get_running_loop()
    try:
        future = loop.run_in_executor(executor, partial(evaluation_func, task, completion, reference, extra_info))
        return await asyncio.wait_for(future, timeout=300.0)
    except Exception as e:  # prime prints and scores the row 0
        return ("error", repr(e))


def prime(compute_score, rows, start_method=None, workers=2):
    """PrimeRewardManager.verify: positional calls in a process pool; any non-number result is read as result[0]."""
    context = multiprocessing.get_context(start_method) if start_method else None
    errors = []

    async def run():
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
            return await asyncio.gather(*[
                _single(compute_score, r["solution_str"], r["ground_truth"], r["data_source"], r.get("extra_info"), executor)
                for r in rows])

    results = asyncio.run(run())
    try:
        scores = []
        for result in results:
            if isinstance(result, tuple) and result and result[0] == "error":
                errors.append(result[1])
                scores.append(0.0)
            elif result is None:
                scores.append(0.0)
            elif isinstance(result, (int, float, bool)):
                scores.append(float(result))
            else:
                scores.append(float(result[0]))
        return {"rewards": scores, "errors": errors, "all_zero_fallback": False}
    except Exception as e:  # verify(): "Unexpected error during scoring. Setting all as 0."
        return {"rewards": [0.0] * len(rows), "errors": errors + [repr(e)], "all_zero_fallback": True}


def batch(compute_score, rows):
    """BatchRewardManager.verify: one keyword call with numpy arrays of data sources, as verl's non-tensor batch holds."""
    scores = compute_score(data_sources=np.array([r["data_source"] for r in rows], dtype=object),
                           solution_strs=[r["solution_str"] for r in rows],
                           ground_truths=[r["ground_truth"] for r in rows],
                           extra_infos=[dict(r.get("extra_info") or {}, rollout_reward_scores={}) for r in rows])
    rewards, extra = [], {}
    for score in scores:
        if isinstance(score, dict):
            rewards.append(float(score["score"]))
            for key, value in score.items():
                extra.setdefault(key, []).append(value)
        else:
            rewards.append(float(score))
    return {"rewards": rewards, "extra": extra}
