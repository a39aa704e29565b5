using System.Diagnostics;
using System.Text.Json;

namespace Crucible.Server.Tests;

/// <summary>Runs a script with the system Python (as a trainer's process would) and parses what it prints as JSON.</summary>
internal static class Python3
{
    public const string Path = "/usr/bin/python3";

    public static async Task<JsonElement> RunJsonAsync(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        Assert.SkipUnless(File.Exists(Path), "needs /usr/bin/python3");
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = System.IO.Path.GetTempPath() };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await p.WaitForExitAsync(cts.Token);
        Assert.True(p.ExitCode == 0, $"python exited {p.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}
