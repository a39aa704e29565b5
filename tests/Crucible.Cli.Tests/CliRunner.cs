using System.Diagnostics;

namespace Crucible.Cli.Tests;

/// <summary>Runs the built `crucible` CLI as a user would, in a child process.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "crucible.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["CRUCIBLE_STATE"] = StateRoot;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("crucible did not finish in 120 s"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The repository root (examples/ lives there), found from this source file's path.</summary>
    public static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    /// <summary>A loopback port free right now, for a `crucible serve` under test.</summary>
    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    public static readonly string StateRoot = Path.Combine(Path.GetTempPath(), "crucible-cli-test-" + Environment.ProcessId);

    public static string WriteTemp(string name, string content)
    {
        var dir = Path.Combine(Path.GetTempPath(), "crucible-cli-files-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
