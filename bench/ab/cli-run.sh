#!/bin/bash
# `crucible run hello.py`, wall and CPU per invocation (medians), for one or more builds invoked alternately.
# Usage: bench/ab/cli-run.sh <rounds> <dir holding a built `crucible`> [<another dir> …]
set -euo pipefail
rounds=$1; shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo 'print("hi")' > "$work/hello.py"
for b in "$@"; do "$b/crucible" run "$work/hello.py" > /dev/null; done  # probes cached, compile cache warm
for _ in $(seq "$rounds"); do
  for b in "$@"; do /usr/bin/time -f "$b %e %U %S" -a -o "$work/times" "$b/crucible" run "$work/hello.py" > /dev/null; done
done
for _ in $(seq "$rounds"); do /usr/bin/time -f "python3-c-pass %e %U %S" -a -o "$work/times" /usr/bin/python3 -c pass; done
python3 - "$work/times" <<'PY'
import statistics, sys
by = {}
for line in open(sys.argv[1]):
    b, e, u, s = line.split()
    by.setdefault(b, []).append((float(e), float(u) + float(s)))
for b, v in by.items():
    print(f"{b}: wall {1000 * statistics.median(x[0] for x in v):.0f} ms, CPU {1000 * statistics.median(x[1] for x in v):.0f} ms (medians of {len(v)})")
PY
