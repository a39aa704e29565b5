#!/usr/bin/env python3
"""Runs a command and reports, on stderr as one JSON line, its wall time, the CPU of its whole process tree (reaped
children, as getrusage counts them), the peak resident memory of the tree (sum of RSS over every descendant,
sampled every 0.2 s) and, where cgroup v1's cpuacct is mounted, cgroup_cpu_s: the CPU of everything started under
the command, whoever reaped it. Crucible's sandboxes are reaped by zygotes that are never waited for by the command's
own children, so getrusage misses them (on the real HumanEval+, 36 s of a run that kept the machine busy for 112
core-seconds); their cgroups sit under the command's, so cpuacct counts them. Used for the figures of whole commands
in docs/ (e.g. crucible eval on the real HumanEval+):

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
def cpuacct_group():
    """A fresh cpuacct cgroup under this process's own, or None (no cgroup v1 cpuacct, or not allowed)."""
    try:
        own = next(l.split(':', 2)[2].strip() for l in open('/proc/self/cgroup') if 'cpuacct' in l.split(':', 2)[1].split(','))
        root = next(r for r in ('/sys/fs/cgroup/cpuacct', '/sys/fs/cgroup/cpu,cpuacct') if os.path.isdir(r))
        path = os.path.join(root, own.lstrip('/'), f'tree-usage-{os.getpid()}')
        os.mkdir(path)
        return path
    except (StopIteration, OSError):
        return None
group = cpuacct_group()
def join_group():
    with open(os.path.join(group, 'cgroup.procs'), 'w') as f: f.write(str(os.getpid()))
t0 = time.time()
p = subprocess.Popen(sys.argv[1:], preexec_fn=join_group if group else None)
peak = 0
while p.poll() is None:
    peak = max(peak, tree_rss(p.pid)); time.sleep(0.2)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
report = {"wall_s": round(time.time()-t0,1), "cpu_s": round(ru.ru_utime+ru.ru_stime,1), "peak_tree_rss_gib": round(peak/2**30,3), "exit": p.returncode}
if group:
    report["cgroup_cpu_s"] = round(int(open(os.path.join(group, 'cpuacct.usage')).read()) / 1e9, 1)
    try: os.rmdir(group)
    except OSError: pass  # a process of the command outlived it; the empty group is left for the next rmdir
print(json.dumps(report), file=sys.stderr)
