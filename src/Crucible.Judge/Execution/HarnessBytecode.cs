using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Crucible.Judge.Execution;

/// <summary>
/// The harness compiled ahead of time, once per process, by the interpreter the sandbox runs (the same binary: the
/// sandbox binds /usr read-only). A run then unmarshals it instead of compiling ~40 KB of source in every run
/// (evalplus-scale --problems 40: sandbox CPU 20.1 -> 17.3 s over 800 runs; docs/evalplus.md). The bytecode is ours,
/// made outside the sandbox from our own source; the program keeps the source too and compiles it if the
/// interpreter turns out to be another version than the one that made the bytecode.
/// </summary>
internal static class HarnessBytecode
{
    /// <summary>Bytecode made by one interpreter: its <c>sys.hexversion</c> and the marshalled code, base64.</summary>
    public sealed record Compiled(long HexVersion, string MarshalBase64);

    private static readonly ConcurrentDictionary<string, Lazy<string?>> ByInterpreter = new(StringComparer.Ordinal);

    private const string CompileScript =
        "import sys, marshal, base64\n" +
        "code = compile(sys.stdin.buffer.read(), 'crucible_harness.py', 'exec', dont_inherit=True)\n" +
        "sys.stdout.write('%d\\n%s' % (sys.hexversion, base64.b64encode(marshal.dumps(code)).decode('ascii')))\n";

    /// <summary>
    /// Program text that defines the harness, from bytecode <paramref name="interpreter"/> compiled (made once per
    /// interpreter); null when it cannot be compiled that way (then the caller embeds the source as it is).
    /// </summary>
    public static string? LoaderFor(string interpreter, string harnessSource, string globals = "globals()", string indent = "") =>
        ByInterpreter.GetOrAdd(interpreter + "\n" + globals + "\n" + indent,
            _ => new Lazy<string?>(() => Compile(interpreter, harnessSource) is { } c ? Loader(c, harnessSource, globals, indent) : null)).Value;

    internal static Compiled? Compile(string interpreter, string harnessSource)
    {
        if (!Path.IsPathRooted(interpreter) || !File.Exists(interpreter)) return null;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(interpreter, ["-S", "-c", CompileScript])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(harnessSource);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                return null;
            }
            _ = stderr.Result;
            var nl = output.IndexOf('\n', StringComparison.Ordinal);
            if (process.ExitCode != 0 || nl <= 0 || !long.TryParse(output.AsSpan(0, nl), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                return null;
            var marshalled = output[(nl + 1)..].Trim();
            return marshalled.Length > 0 ? new Compiled(version, marshalled) : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Program text that runs the harness from <paramref name="compiled"/> when the interpreter is the one that made
    /// it, and from its source otherwise; either way the harness's names end up in <paramref name="globals"/> (a
    /// Python expression for a dict; the program's own globals by default).
    /// </summary>
    public static string Loader(Compiled compiled, string harnessSource, string globals = "globals()", string indent = "")
    {
        var source = Convert.ToBase64String(Encoding.UTF8.GetBytes(harnessSource));
        return new StringBuilder(compiled.MarshalBase64.Length + source.Length + 400)
            .Append(indent).Append("import sys as _crucible_sys, base64 as _crucible_b64\n")
            .Append(indent).Append("if _crucible_sys.hexversion == ").Append(compiled.HexVersion.ToString(CultureInfo.InvariantCulture)).Append(":\n")
            .Append(indent).Append("    import marshal as _crucible_marshal\n")
            .Append(indent).Append("    exec(_crucible_marshal.loads(_crucible_b64.b64decode(\"").Append(compiled.MarshalBase64).Append("\")), ").Append(globals).Append(")\n")
            .Append(indent).Append("else:\n")
            .Append(indent).Append("    exec(compile(_crucible_b64.b64decode(\"").Append(source).Append("\"), \"crucible_harness.py\", \"exec\", dont_inherit=True), ").Append(globals).Append(")\n")
            .ToString();
    }
}
