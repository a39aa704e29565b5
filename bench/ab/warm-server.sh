# Sourced by the bench/ab scripts: starts `$build/crucible serve` on $port, stops it and removes $out on exit, waits
# until it answers, warms it up with $warmup trivial /run_code runs of $language (JIT, zygotes), and sets $zygote to
# the zygote those runs go to: the harness Python zygote for python (the judge's harness is preloaded in it; one
# server at a time), the exec zygote for cpp. Sets $server (its pid) and $out (a temporary directory).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(mktemp -d)
"$build/crucible" serve --port "$port" > "$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.5; done
/usr/bin/python3 "$here/run_code_driver.py" "http://127.0.0.1:$port" "$warmup" 8 "$language" > /dev/null
pattern="^/usr/bin/python3 /runner/zygote.py python crucible_harness"
[ "$language" = cpp ] && pattern="^/usr/bin/python3 /runner/zygote.py exec"
zygote=$(pgrep -f "$pattern" | tail -1)
