using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crucible.Agent.Repository.Map;

/// <summary>
/// Runs the shipped <c>python_symbols.py</c> under <c>/usr/bin/python3 -I</c> (isolated: no user site, no
/// PYTHON* environment) with one JSON request on stdin. The script only parses and compiles the files it is given;
/// it never imports or runs them, so it is safe on untrusted repositories outside the sandbox.
/// </summary>
public static class PythonHelper
{
    private static readonly Lazy<string> ScriptPath = new(MaterialiseScript);

    /// <summary>The interpreter; the system one, as in the sandbox, so the syntax accepted is the one tests run with.</summary>
    public static string Interpreter { get; set; } = "/usr/bin/python3";

    public static bool IsAvailable => File.Exists(Interpreter);

    public static async Task<JsonArray> RunAsync(string op, JsonArray files, CancellationToken cancellationToken)
    {
        if (!IsAvailable)
            throw new InvalidOperationException($"{Interpreter} is not installed; the repository map and the Python edit guard need it (Debian package python3).");
        var psi = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false), StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("-I");
        psi.ArgumentList.Add(ScriptPath.Value);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Interpreter);
        var request = new JsonObject { ["op"] = op, ["files"] = files };
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.StandardInput.WriteAsync(request.ToJsonString().AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the Python symbol helper failed (exit {process.ExitCode}): {error.Trim()}");
        var answer = JsonNode.Parse(output)?["files"] as JsonArray;
        return answer ?? throw new InvalidOperationException("the Python symbol helper returned no 'files' array");
    }

    private static string MaterialiseScript()
    {
        using var stream = typeof(PythonHelper).Assembly.GetManifestResourceStream("Crucible.Agent.python_symbols.py")
                           ?? throw new InvalidOperationException("python_symbols.py is not embedded in Crucible.Agent");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        // Content-addressed, so concurrent processes and versions never overwrite each other's script mid-run.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        var dir = Path.Combine(Path.GetTempPath(), "crucible-agent");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"python_symbols-{hash}.py");
        if (!File.Exists(path))
        {
            var temp = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        return path;
    }

    internal static JsonArray ToArray(IEnumerable<JsonObject> items)
    {
        var array = new JsonArray();
        foreach (var i in items) array.Add(i);
        return array;
    }

    internal static JsonSerializerOptions Json { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
