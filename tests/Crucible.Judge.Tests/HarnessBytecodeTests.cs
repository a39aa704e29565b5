using System.Diagnostics;
using Crucible.Judge.Execution;

namespace Crucible.Judge.Tests;

/// <summary>The harness loaded from bytecode made ahead by the sandbox's interpreter, and from source when that does not fit.</summary>
public sealed class HarnessBytecodeTests
{
    private const string Python = "/usr/bin/python3";

    private static (string Stdout, string Stderr) RunPython(string program)
    {
        using var p = Process.Start(new ProcessStartInfo(Python, ["-S", "-"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(program);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (output, err.Result);
    }

    // The harness's entry point is defined, compiled under the harness's own file name (in either branch).
    private const string Probe = "\nprint(callable(_main), _main.__code__.co_filename)\n";

    [Fact]
    public void The_sandbox_interpreter_compiles_the_harness_once_and_runs_it_from_bytecode()
    {
        Assert.SkipUnless(File.Exists(Python), "the system Python is absent");
        var compiled = HarnessBytecode.Compile(Python, PythonHarness.Source);
        Assert.NotNull(compiled);
        var loader = HarnessBytecode.Loader(compiled!, PythonHarness.Source);
        Assert.Contains("_crucible_marshal.loads", loader);
        var (stdout, stderr) = RunPython(loader + Probe);
        Assert.True(stdout == "True crucible_harness.py\n", stdout + stderr);
        Assert.Same(HarnessBytecode.LoaderFor(Python, PythonHarness.Source), HarnessBytecode.LoaderFor(Python, PythonHarness.Source)); // made once
    }

    [Fact]
    public void Another_interpreter_version_compiles_the_embedded_source_instead()
    {
        Assert.SkipUnless(File.Exists(Python), "the system Python is absent");
        var compiled = HarnessBytecode.Compile(Python, PythonHarness.Source)!;
        // Bytecode claimed by a version that is not this one: it must not be unmarshalled (that would fail or misbehave).
        var foreign = compiled with { HexVersion = compiled.HexVersion + 1, MarshalBase64 = "bm90IGJ5dGVjb2Rl" };
        var (stdout, stderr) = RunPython(HarnessBytecode.Loader(foreign, PythonHarness.Source) + Probe);
        Assert.True(stdout == "True crucible_harness.py\n", stdout + stderr);
    }

    [Fact]
    public void Without_a_usable_interpreter_the_program_embeds_the_source_as_before()
    {
        Assert.Null(HarnessBytecode.LoaderFor("/nonexistent/python3", PythonHarness.Source));
        var program = PythonHarness.BuildProgram("def f():\n    return 1\n", [], "/nonexistent/python3");
        Assert.Contains(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(PythonHarness.Source)), program);
        Assert.DoesNotContain("marshal", program);
        Assert.EndsWith("\n_crucible_h._main()\n", program);
    }
}
