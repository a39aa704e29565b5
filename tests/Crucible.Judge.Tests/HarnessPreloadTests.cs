namespace Crucible.Judge.Tests;

/// <summary>
/// The judge has zygotes preload its harness (a module named by its content hash): function-call runs use that copy,
/// and programs that do not use the harness keep Python's own defaults although the zygote imported it.
/// </summary>
public sealed class HarnessPreloadTests(JudgeFixture f)
{
    [Fact]
    public async Task A_program_judged_on_stdin_keeps_pythons_defaults()
    {
        var p = JudgeFixture.Problem(new StdioTest("", "1000 4300\n"));
        var r = await f.JudgeAsync(p, "import sys\nprint(sys.getrecursionlimit(), sys.get_int_max_str_digits())\n");
        Assert.True(r.Passed, r.Message);
    }

    [Fact]
    public async Task Function_call_runs_use_the_harness_the_zygote_preloaded()
    {
        Assert.SkipUnless(f.Pool.ZygotesEnabled, "zygotes need root, cgroups and the system Python");
        var name = Execution.PythonHarness.ModuleName;
        var code = $"import sys\ndef f():\n    return '{name}' in sys.modules and sys.getrecursionlimit() == 300000\n";
        var p = JudgeFixture.Problem(new FunctionCallTest("f", "[]", "true"));
        JudgeResult? r = null;
        // The fixture's first zygote is replaced when the judge asks for the preload; runs meanwhile load it themselves.
        for (var i = 0; i < 40 && r?.Passed != true; i++)
        {
            r = await f.JudgeAsync(p, code);
            if (!r.Passed) await Task.Delay(100);
        }
        Assert.True(r!.Passed, r.Message);
    }
}
