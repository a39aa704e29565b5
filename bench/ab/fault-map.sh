#!/bin/bash
# Where a trivial /run_code run's page faults are: records every page fault of the harness zygote's tree over N runs
# (perf record -e page-faults -d) and places each run's fault addresses in the zygote's own memory map.
# Usage: bench/ab/fault-map.sh <dir holding a built `crucible`> <port> [runs]   (root, perf)
set -euo pipefail
build=$1 port=$2 runs=${3:-200} warmup=300 language=python
source "$(dirname "$0")/warm-server.sh"
cat "/proc/$zygote/maps" > "$out/maps"
perf record -e page-faults -d -c 1 -p "$zygote" -o "$out/perf.data" 2> /dev/null &
perf=$!
sleep 1
/usr/bin/python3 "$here/run_code_driver.py" "http://127.0.0.1:$port" "$runs" 8 > /dev/null
kill -INT $perf; wait $perf 2>/dev/null || true
perf script -i "$out/perf.data" -F comm,pid,addr 2> /dev/null > "$out/faults"
python3 - "$out/maps" "$out/faults" "$zygote" <<'PY'
import bisect, collections, sys
maps = []
for line in open(sys.argv[1]):
    p = line.split()
    a, b = (int(x, 16) for x in p[0].split("-"))
    maps.append((a, b, p[1], p[5].rsplit("/", 1)[-1] if len(p) > 5 else "[anonymous]"))
maps.sort()
starts = [m[0] for m in maps]
by, runs = collections.Counter(), set()
for line in open(sys.argv[2]):
    p = line.split()
    if len(p) < 3 or p[1] == sys.argv[3] or p[0] != "python3":
        continue  # the zygote's own faults and run_init's are not a run's
    runs.add(p[1])
    addr = int(p[2], 16)
    i = bisect.bisect_right(starts, addr) - 1
    by[f"{maps[i][3]} {maps[i][2]}" if i >= 0 and addr < maps[i][1] else "outside the zygote's mappings"] += 1
n = max(1, len(runs))
print(f"{len(runs)} runs, {sum(by.values()) / n:.1f} page faults per run")
for region, count in by.most_common(15):
    print(f"{count / n:7.1f}  {region}")
PY
