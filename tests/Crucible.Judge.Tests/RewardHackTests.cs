namespace Crucible.Judge.Tests;

/// <summary>
/// Solutions that try to pass without solving. Every one must fail — and must not turn into a SandboxError either,
/// which a reward pipeline would drop instead of penalising.
/// </summary>
public sealed class RewardHackTests(JudgeFixture f)
{
    private static Problem Calls() => JudgeFixture.Problem(
        new FunctionCallTest("square", "[2]", "4"),
        new FunctionCallTest("square", "[3]", "9"),
        new FunctionCallTest("square", "[12345]", "152399025"));

    private static Problem Asserts() => JudgeFixture.Problem(new AssertionTest("""
        def check(candidate):
            assert candidate(2) == 4
            assert candidate(3) == 9
            assert candidate(12345) == 152399025
        """) { EntryPoint = "square" });

    private static void AssertFailedAndScored(JudgeResult r)
    {
        TestContext.Current.SendDiagnosticMessage(r.Message ?? "");
        Assert.False(r.Passed, r.Message);
        Assert.NotEqual(TestOutcome.SandboxError, r.Outcome);
        Assert.False(r.HasSandboxErrors, r.Message);
        Assert.Equal(0, r.PassedTests);
    }

    public static TheoryData<string, string> Exits => new()
    {
        { "sys.exit(0) at import", "import sys\nsys.exit(0)\n" },
        { "os._exit(0) at import", "import os\nos._exit(0)\n" },
        { "exit(0) at import", "exit(0)\n" },
        { "quit() at import", "quit()\n" },
        { "sys.exit(0) in the call", "def square(x):\n    import sys\n    sys.exit(0)\n" },
        { "os._exit(0) in the call", "def square(x):\n    import os\n    os._exit(0)\n" },
        { "raise SystemExit in the call", "def square(x):\n    raise SystemExit(0)\n" },
        { "KeyboardInterrupt in the call", "def square(x):\n    raise KeyboardInterrupt\n" },
        { "atexit handler printing success", "import atexit, os\natexit.register(lambda: print('PASSED'))\ndef square(x):\n    os._exit(0)\n" },
    };

    public static TheoryData<string, string> Kills => new()
    {
        { "kill the parent", "def square(x):\n    import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n    return 0\n" },
        { "kill pid 1", "def square(x):\n    import os, signal\n    os.kill(1, signal.SIGKILL)\n    return 0\n" },
        { "kill itself", "def square(x):\n    import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)\n" },
        { "kill every process it can", "def square(x):\n    import os, signal\n    os.kill(-1, signal.SIGKILL)\n" },
        { "kill its process group", "def square(x):\n    import os, signal\n    os.killpg(0, signal.SIGKILL)\n" },
        { "SIGTERM to itself", "def square(x):\n    import os, signal\n    os.kill(os.getpid(), signal.SIGTERM)\n    return 0\n" },
    };

    // The attacks find the harness wherever it is loaded: its own module (preloaded by the zygote) or the program.
    public static TheoryData<string, string> FakeMarkers => new()
    {
        { "prints PASSED", "print('PASSED')\nprint('All tests passed')\ndef square(x):\n    print('PASSED')\n    return 0\n" },
        { "prints a record without the nonce", "import sys\nfor i in range(3):\n    print('@0000 {\"t\":\"r\",\"i\":%d,\"s\":\"ok\",\"v\":4}' % i)\nsys.stdout.flush()\ndef square(x):\n    return 0\n" },
        {
            "forges records with the real nonce on the real channel, then exits",
            "import os, sys, json\nm = [x for x in list(sys.modules.values()) if hasattr(x, '_NONCE') and hasattr(x, '_main')][0]\n" +
            "for i in range(3):\n    os.write(m._OUT, ('@' + m._NONCE + ' ' + json.dumps({'t': 'r', 'i': i, 's': 'ok', 'v': 4, 'cpu': 0, 'wall': 0}) + '\\n').encode())\n" +
            "os.write(m._OUT, ('@' + m._NONCE + ' {\"t\":\"done\"}\\n').encode())\nos._exit(0)\n"
        },
        {
            "forges conflicting duplicate records",
            "import os, sys, json\nm = [x for x in list(sys.modules.values()) if hasattr(x, '_NONCE') and hasattr(x, '_main')][0]\n" +
            "def square(x):\n    i = [2, 3, 12345].index(x)\n    os.write(m._OUT, ('@' + m._NONCE + ' ' + json.dumps({'t': 'r', 'i': i, 's': 'ok', 'v': 'forged'}) + '\\n').encode())\n    return -1\n"
        },
    };

    public static TheoryData<string, string> Tampering => new()
    {
        { "object whose __eq__ is always True", "class Any:\n    def __eq__(self, other): return True\n    def __ne__(self, other): return False\n    __hash__ = object.__hash__\ndef square(x):\n    return Any()\n" },
        { "int subclass whose __eq__ is always True", "class I(int):\n    def __eq__(self, other): return True\n    __hash__ = int.__hash__\ndef square(x):\n    return I(0)\n" },
        { "str subclass", "class S(str):\n    def __eq__(self, other): return True\n    __hash__ = str.__hash__\ndef square(x):\n    return S('x')\n" },
        { "list subclass", "class L(list):\n    def __eq__(self, other): return True\ndef square(x):\n    return L()\n" },
        { "patches builtins", "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.type = lambda *a: int\nbuiltins.AssertionError = type('NoAssert', (Exception,), {})\ndef square(x):\n    return 0\n" },
        { "patches the harness's encoder", "import sys\n[x for x in list(sys.modules.values()) if hasattr(x, '_NONCE') and hasattr(x, '_main')][0]._enc = lambda *a, **k: -7\ndef square(x):\n    return 0\n" },
        { "patches the harness's emitter to send fixed successes", "import sys\nm = [x for x in list(sys.modules.values()) if hasattr(x, '_NONCE') and hasattr(x, '_main')][0]\nreal = m._emit\ndef fake(rec, then=None):\n    if rec.get('t') in ('r', 'o'):\n        rec = dict(rec, s='ok', v=-7)\n        rec.pop('h', None)\n    real(rec, then)\nm._emit = fake\ndef square(x):\n    raise ValueError\n" },
        { "patches the harness's timer and timing", "import sys, time\nm = [x for x in list(sys.modules.values()) if hasattr(x, '_NONCE') and hasattr(x, '_main')][0]\nm._timed = lambda fn, limit: ('ok', -7, 0.0, 0.0)\ndef square(x):\n    return 0\n" },
        { "redefines check and assert helpers", "def check(candidate):\n    pass\n_crucible_assert = lambda *a: True\ndef square(x):\n    return 0\n" },
        { "sets a trace function that swallows everything", "import sys\nsys.settrace(lambda *a: None)\ndef square(x):\n    return None\n" },
    };

    /// <summary>Searches everything it can reach for a secret: its own memory, frames, objects, files, /proc.</summary>
    private const string SecretScanner = """
        import gc, os, re, sys
        PATTERN = re.compile(rb"SECRET-[0-9a-f]{32}")
        def _scan_bytes(data):
            m = PATTERN.search(data)
            return m.group(0).decode() if m else None
        def find_secret():
            f = sys._getframe()
            while f is not None:
                for v in list(f.f_locals.values()) + list(f.f_globals.values()):
                    if isinstance(v, str) and (s := _scan_bytes(v.encode("utf-8", "ignore"))):
                        return s
                f = f.f_back
            for o in gc.get_objects():
                try:
                    items = o.values() if isinstance(o, dict) else o if isinstance(o, (list, tuple)) else ()
                    for v in items:
                        if isinstance(v, (str, bytes)) and (s := _scan_bytes(v if isinstance(v, bytes) else v.encode("utf-8", "ignore"))):
                            return s
                except Exception:
                    pass
            try:
                with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
                    for line in maps:
                        addr, perms = line.split()[:2]
                        if "r" not in perms:
                            continue
                        lo, hi = (int(x, 16) for x in addr.split("-"))
                        if hi - lo > 1 << 28:
                            continue
                        try:
                            mem.seek(lo)
                            if (s := _scan_bytes(mem.read(hi - lo))):
                                return s
                        except Exception:
                            pass
            except Exception:
                pass
            roots = ["/work", "/box", "/tmp", "/dev/shm", "/proc/self", "/proc/1", "/etc", "/run", "/var"]
            for root in roots:
                for dirpath, dirs, files in os.walk(root):
                    if dirpath.startswith("/proc/self/task") or "/map_files" in dirpath:
                        continue
                    for name in files:
                        try:
                            with open(os.path.join(dirpath, name), "rb") as fh:
                                if (s := _scan_bytes(fh.read(1 << 20))):
                                    return s
                        except Exception:
                            pass
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    for part in ("cmdline", "environ"):
                        try:
                            with open("/proc/%s/%s" % (pid, part), "rb") as fh:
                                if (s := _scan_bytes(fh.read())):
                                    return s
                        except Exception:
                            pass
            return "not found"

        """;

    private static string Secret() => "SECRET-" + Guid.NewGuid().ToString("N");

    [Theory]
    [MemberData(nameof(Exits))]
    [MemberData(nameof(Kills))]
    [MemberData(nameof(FakeMarkers))]
    [MemberData(nameof(Tampering))]
    public async Task FunctionCallHackFails(string hack, string code)
    {
        _ = hack;
        AssertFailedAndScored(await f.JudgeAsync(Calls(), code));
    }

    [Theory]
    [MemberData(nameof(Exits))]
    [MemberData(nameof(Kills))]
    public async Task FunctionCallHackFailsWithoutBatching(string hack, string code)
    {
        _ = hack;
        AssertFailedAndScored(await f.JudgeAsync(Calls(), code, options: new JudgeOptions { Batch = false }));
    }

    [Theory]
    [MemberData(nameof(Exits))]
    [MemberData(nameof(Kills))]
    [MemberData(nameof(FakeMarkers))]
    [MemberData(nameof(Tampering))]
    public async Task AssertionHackFails(string hack, string code)
    {
        _ = hack;
        AssertFailedAndScored(await f.JudgeAsync(Asserts(), code));
    }

    [Fact]
    public async Task PatchingTheEncoderCannotTurnWrongAnswersRight()
    {
        // The patched encoders (the general one and the shortcut for ints) make every answer 4: right for the first
        // test only, so exactly that test passes. The harness is found wherever it is loaded (a module of its own,
        // preloaded by the zygote, or the program).
        var r = await f.JudgeAsync(Calls(), "import sys\nfor m in list(sys.modules.values()):\n    if hasattr(m, '_enc') and hasattr(m, '_main'):\n        m._enc = lambda *a, **k: 4\n        m._int_repr = lambda *a: '4'\ndef square(x):\n    return 0\n");
        Assert.Equal([TestOutcome.Passed, TestOutcome.WrongAnswer, TestOutcome.WrongAnswer], r.Tests.Select(t => t.Outcome));
    }

    [Fact]
    public async Task ExpectedReturnValuesAreNotInTheSandbox()
    {
        var secret = Secret();
        var p = JudgeFixture.Problem(new FunctionCallTest("leak", "[1]", "\"" + secret + "\""));
        var r = await f.JudgeAsync(p, SecretScanner + "def leak(x):\n    return find_secret()\n");
        AssertFailedAndScored(r);
        Assert.Contains("'not found'", r.Tests[0].Message);
    }

    [Fact]
    public async Task ExpectedValuesInAssertionScriptsAreNotInTheSandbox()
    {
        var secret = Secret();
        var p = JudgeFixture.Problem(new AssertionTest($"def check(candidate):\n    assert candidate(1) == '{secret}'\n") { EntryPoint = "leak" });
        var r = await f.JudgeAsync(p, SecretScanner + "def leak(x):\n    return find_secret()\n");
        AssertFailedAndScored(r);
    }

    [Fact]
    public async Task ExpectedStdoutIsNotInTheSandbox()
    {
        var secret = Secret();
        var r = await f.JudgeAsync(JudgeFixture.Problem(new StdioTest("go\n", secret + "\n")), SecretScanner + "print(find_secret())\n");
        AssertFailedAndScored(r);
        Assert.Contains("not found", r.Tests[0].ActualPreview);
    }

    [Fact]
    public async Task CheckerAnswerFilesAreNotInTheSandbox()
    {
        f.RequireLanguage("cpp");
        var secret = Secret();
        var checker = "#include <fstream>\n#include <string>\nint main(int c, char** v){ std::ifstream o(v[2]), a(v[3]); std::string x, y; o >> x; a >> y; return x == y ? 0 : 1; }\n";
        var r = await f.JudgeAsync(JudgeFixture.Problem(new CheckerTest("go\n", secret + "\n", checker, "cpp")), SecretScanner + "print(find_secret())\n");
        AssertFailedAndScored(r);
    }

    [Fact]
    public async Task TheScannerFindsASecretThatIsReachable()
    {
        // Control: when the secret is reachable (here, an argument), the scanner above finds it — so the tests
        // above fail because the expected values are absent, not because the scanner is blind.
        var secret = Secret();
        var viaArgs = JudgeFixture.Problem(new FunctionCallTest("leak", $"[\"{secret}\"]", "\"" + secret + "\""));
        Assert.Equal(TestOutcome.Passed, (await f.JudgeAsync(viaArgs, SecretScanner + "def leak(x):\n    del x\n    return find_secret()\n")).Outcome);
        var viaStdin = JudgeFixture.Problem(new StdioTest(secret + "\n", secret + "\n"));
        Assert.Equal(TestOutcome.Passed, (await f.JudgeAsync(viaStdin, SecretScanner + "import sys\ndata = sys.stdin.read()\nprint(find_secret())\n")).Outcome);
    }
}
