"""Posts N trivial /run_code requests at a concurrency, as an RL reward loop calls a sandbox, and checks every answer:
python (default), a unique source each: print(i*2); cpp, one program (compiled once, then cached) with a unique stdin
each. Usage: run_code_driver.py URL N CONCURRENCY [python|cpp]"""
import json, sys, threading, time, urllib.request

url, n, conc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
language = sys.argv[4] if len(sys.argv) > 4 else "python"
CPP = "#include <cstdio>\nint main(){int a; if(std::scanf(\"%d\",&a)!=1) return 1; std::printf(\"%d\\n\", a*2);}\n"
lock = threading.Lock()
count, bad = [0], [0]


def worker():
    while True:
        with lock:
            if count[0] >= n:
                return
            count[0] += 1
            i = count[0]
        if language == "cpp":
            body = json.dumps({"code": CPP, "language": "cpp", "stdin": f"{i}\n"}).encode()
        else:
            body = json.dumps({"code": f"print({i}*2)", "language": "python"}).encode()
        req = urllib.request.Request(url + "/run_code", body, {"Content-Type": "application/json"})
        r = json.loads(urllib.request.urlopen(req).read())
        if r.get("status") != "Success" or r["run_result"]["stdout"] != f"{i * 2}\n":
            with lock:
                bad[0] += 1


t0 = time.time()
threads = [threading.Thread(target=worker) for _ in range(conc)]
for t in threads:
    t.start()
for t in threads:
    t.join()
dt = time.time() - t0
print(f"{n} runs in {dt:.2f} s, {n / dt:.1f}/s, bad {bad[0]}")
sys.exit(1 if bad[0] else 0)
