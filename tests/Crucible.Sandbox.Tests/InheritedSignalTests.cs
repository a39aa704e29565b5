using System.Diagnostics;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// A host started with a signal ignored (a server under nohup, a background job of a script: SIGQUIT) passes that
/// down every fork and exec. The runners' start of a program (warm_runner.start_signals, used by warm runners and
/// zygotes) must still give it a plain start's dispositions.
/// </summary>
public sealed class InheritedSignalTests
{
    [Theory]
    [InlineData(false, "0000000000000000")] // an exec'd program: nothing ignored
    [InlineData(true, "0000000001001000")]  // python3: SIGPIPE and SIGXFSZ, as a plain start ignores them
    public void A_program_does_not_inherit_what_the_host_was_started_ignoring(bool python, string sigIgn)
    {
        Assert.SkipUnless(File.Exists("/usr/bin/python3") && File.Exists("/bin/sh"), "needs /usr/bin/python3 and /bin/sh");
        var dir = Directory.CreateTempSubdirectory("crucible-signals-");
        try
        {
            using (var resource = typeof(SandboxPool).Assembly.GetManifestResourceStream("Crucible.Sandbox.warm_runner.py")!)
            using (var file = File.Create(Path.Combine(dir.FullName, "warm_runner.py")))
                resource.CopyTo(file);
            var script = "import sys; sys.path.insert(0, sys.argv[1]); import warm_runner; warm_runner.start_signals(" + (python ? "True" : "False") + ")\n" +
                         "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('SigIgn')][0])";
            // The shell ignores SIGQUIT and SIGTERM before it becomes python3, as a host started that way would.
            var start = new ProcessStartInfo("/bin/sh", ["-c", "trap '' QUIT TERM; exec /usr/bin/python3 -c \"$0\" \"$1\"", script, dir.FullName])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, error);
            Assert.Equal(sigIgn, output.Trim());
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
