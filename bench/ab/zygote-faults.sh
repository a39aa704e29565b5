#!/bin/bash
# Page faults and CPU of a zygote's whole tree per trivial /run_code run, and the server's own CPU: the harness
# Python zygote's for Python runs (default), the exec zygote's for a cached C++ program with a unique stdin (cpp).
# Usage: bench/ab/zygote-faults.sh <dir holding a built `crucible`> <port> [runs] [python|cpp]
# Run it for two builds alternately (A B A B …) for an A/B on one machine; needs perf (Debian's linux-perf) and root.
set -euo pipefail
build=$1 port=$2 runs=${3:-300} language=${4:-python}
warmup=$runs
source "$(dirname "$0")/warm-server.sh"
s0=$(awk '{print $14 + $15}' "/proc/$server/stat")
perf stat -e task-clock,page-faults -p "$zygote" -o "$out/stat.txt" &
perf=$!
sleep 1
driven=$(/usr/bin/python3 "$here/run_code_driver.py" "http://127.0.0.1:$port" "$runs" 8 "$language")
kill -INT $perf; wait $perf 2>/dev/null || true
s1=$(awk '{print $14 + $15}' "/proc/$server/stat")
ticks=$(getconf CLK_TCK)
python3 - "$out/stat.txt" "$runs" "$s0" "$s1" "$ticks" "$build" "$driven" <<'PY'
import sys
stat, runs, s0, s1, tck, build, driven = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:6]), sys.argv[6], sys.argv[7]
vals = {}
for line in open(stat):
    p = line.split()  # "6589.67 msec task-clock …", "80430 page-faults …"
    for name in ("task-clock", "page-faults"):
        if name in p[:3]:
            vals[name] = float(p[0].replace(",", ""))
print(f"{build}: zygote tree {vals['task-clock'] / runs:.2f} ms CPU and {vals['page-faults'] / runs:.1f} page faults per run, "
      f"server {(s1 - s0) / tck * 1000 / runs:.2f} ms CPU per run; {driven}")
PY
