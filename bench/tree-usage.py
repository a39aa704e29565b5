#!/usr/bin/env python3
"""Runs a command and reports, on stderr as one JSON line, its wall time, the CPU of its whole process tree (reaped
children, as getrusage counts them) and the peak resident memory of the tree (sum of RSS over every descendant,
sampled every 0.2 s). Used for the figures of whole commands in docs/ (e.g. crucible eval on the real HumanEval+):

    python3 bench/tree-usage.py crucible eval --dataset HumanEvalPlus.jsonl.gz --samples samples.jsonl
"""
import os, sys, time, subprocess, json, resource
def tree_rss(root):
    par = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                s = open(f'/proc/{d}/stat').read(); par[int(d)] = int(s[s.rindex(')')+2:].split()[1])
            except Exception: pass
    tot = 0
    for pid in par:
        p = pid; hops = 0
        while p > 1 and p != root and hops < 64: p = par.get(p, 0); hops += 1
        if p == root:
            try: tot += int(open(f'/proc/{pid}/statm').read().split()[1]) * 4096
            except Exception: pass
    return tot
t0 = time.time()
p = subprocess.Popen(sys.argv[1:])
peak = 0
while p.poll() is None:
    peak = max(peak, tree_rss(p.pid)); time.sleep(0.2)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_s": round(time.time()-t0,1), "cpu_s": round(ru.ru_utime+ru.ru_stime,1), "peak_tree_rss_gib": round(peak/2**30,3), "exit": p.returncode}), file=sys.stderr)
