using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Crucible.Judge.Execution;

/// <summary>
/// The Python harness program (Harness/crucible_harness.py) and the plumbing around it: building the session's
/// program from a candidate, writing requests, and reading back the records it sends on its private channel.
/// </summary>
internal static partial class PythonHarness
{
    /// <summary>The harness's source.</summary>
    internal static string Source => Text.Value;

    /// <summary>
    /// The harness's parts (Harness/*.py), one program joined in this order: the core (encoding, timing, the channel,
    /// <c>_main</c>), EvalPlus's environment, the candidate side, the trusted check driver. Each part only defines
    /// names, which the others use when they run, never while the program loads.
    /// </summary>
    internal static readonly string[] Parts = ["crucible_harness.py", "harness_evalplus.py", "harness_candidate.py", "harness_check.py"];

    private static readonly Lazy<string> Text = new(() => string.Join("\n\n", Parts.Select(part =>
    {
        using var stream = typeof(PythonHarness).Assembly.GetManifestResourceStream("Crucible.Judge." + part)
            ?? throw new InvalidOperationException($"the harness part {part} is missing from Crucible.Judge");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    })));

    /// <summary>
    /// The harness with the candidate embedded (base64, so no source can break out of the literal). A comment names
    /// the top-level modules imported by the solution and by <paramref name="importingSources"/> (its tests, the prompt): the warm
    /// runner preloads heavy modules it finds named in the program text, and base64 hides them from it.
    /// </summary>
    /// <remarks>
    /// With <paramref name="interpreter"/> (the sandbox's Python) the harness is loaded from bytecode that interpreter
    /// compiled once (<see cref="HarnessBytecode"/>) rather than compiled from source in every run.
    /// </remarks>
    public static string BuildProgram(string candidateSource, IEnumerable<string?> importingSources, string? interpreter = null) =>
        BuildPrograms(candidateSource, importingSources, interpreter).Program;

    /// <summary>
    /// <see cref="BuildProgram"/>, and with it the program for a zygote that preloaded the harness
    /// (<see cref="ModuleName"/>): the same candidate and call, without the ~150 KB of bytecode and source the full
    /// program carries for runtimes that did not (compiled and written to the run's /box in every run: ~0.5 ms of CPU
    /// to compile alone).
    /// </summary>
    public static (string Program, string Preloaded) BuildPrograms(string candidateSource, IEnumerable<string?> importingSources, string? interpreter = null)
    {
        const string globals = "_crucible_h.__dict__";
        var load = (interpreter is null ? null : HarnessBytecode.LoaderFor(interpreter, Text.Value, globals, "    "))
                   ?? "    import base64 as _crucible_b64\n    exec(compile(_crucible_b64.b64decode(\"" + SourceBase64.Value +
                      "\"), \"crucible_harness.py\", \"exec\", dont_inherit=True), " + globals + ")\n";
        // The candidate and the call, shared by both forms; the comment names the modules the warm runner preloads.
        var modules = importingSources.Prepend(candidateSource).SelectMany(s => ImportedModules(s ?? "")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var call = "# modules imported by the solution and its tests: " + string.Join(" ", modules) +
                   "\n_crucible_h._CANDIDATE = \"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(candidateSource)) + "\"\n_crucible_h._main()\n";
        var full = "import sys as _crucible_sys\n" +
                   "_crucible_h = _crucible_sys.modules.get(\"" + ModuleName + "\")\n" +
                   "if _crucible_h is None:  # not preloaded by this zygote (SandboxPool.PreloadPythonModule): load it here\n" +
                   "    import types as _crucible_types\n" +
                   "    _crucible_h = _crucible_types.ModuleType(\"" + ModuleName + "\")\n" +
                   load + call;
        var preloaded = "import sys as _crucible_sys\n_crucible_h = _crucible_sys.modules[\"" + ModuleName + "\"]\n" + call;
        return (full, preloaded);
    }

    /// <summary>
    /// The harness as a module name that carries its content's hash, so that a zygote's preloaded copy is exactly
    /// this harness: a zygote imports it once, and each run finds it in <c>sys.modules</c> instead of unmarshalling
    /// ~40 KB of code (a 1-test judged run ~0.5 ms less sandbox CPU, docs/evalplus.md).
    /// </summary>
    public static string ModuleName => Name.Value;

    private static readonly Lazy<string> Name = new(() =>
        "crucible_harness_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text.Value)))[..16]);

    private static readonly Lazy<string> SourceBase64 = new(() => Convert.ToBase64String(Encoding.UTF8.GetBytes(Text.Value)));

    /// <summary>Has every Python zygote of <paramref name="pool"/> preload the harness (once per pool; see <see cref="ModuleName"/>).</summary>
    public static void Preload(Crucible.Sandbox.SandboxPool pool) => pool.PreloadPythonModule(ModuleName, Text.Value);

    /// <summary>Top-level module names in <c>import a.b, c as d</c> and <c>from e.f import g</c> lines.</summary>
    internal static IEnumerable<string> ImportedModules(string source)
    {
        foreach (Match m in ImportLine().Matches(source))
        {
            var names = m.Groups["from"].Success ? [m.Groups["from"].Value] : m.Groups["import"].Value.Split(',');
            foreach (var n in names)
            {
                var top = n.Trim().Split(' ', '.')[0];
                if (top.Length > 0 && top.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) yield return top;
            }
        }
    }

    [GeneratedRegex(@"^[ \t]*(?:from[ \t]+(?<from>[A-Za-z_][\w]*)[\w.]*[ \t]+import\b|import[ \t]+(?<import>[\w., \t]+))", RegexOptions.Multiline)]
    private static partial Regex ImportLine();

    /// <summary>A fresh per-run nonce: it tags records so stray output is never taken for one.</summary>
    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>Stdin for one harness run: the nonce line, then the JSON request written by <paramref name="write"/>.</summary>
    public static byte[] Request(string nonce, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.ASCII.GetBytes(nonce + "\n"));
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The records in a run's stdout that carry the nonce; malformed or truncated lines are dropped.</summary>
    public static List<JsonElement> ReadRecords(byte[] stdout, string nonce)
    {
        var prefix = Encoding.ASCII.GetBytes("@" + nonce + " ");
        if (stdout.Length <= OneDocumentMaxBytes && ReadAsOneDocument(stdout, prefix) is { } all) return all;
        var records = new List<JsonElement>();
        var at = 0;
        while (at < stdout.Length)
        {
            var nl = stdout.AsSpan(at).IndexOf((byte)'\n');
            if (nl < 0) break; // a record is only complete with its newline
            var start = at;
            at += nl + 1;
            if (!stdout.AsSpan(start, nl).StartsWith(prefix)) continue;
            try
            {
                // Parsed in place over the run's output (kept alive by the records), not copied: a HumanEval+ sample
                // can return hundreds of MB of values, and each copy of them was a copy of that.
                var doc = JsonDocument.Parse(stdout.AsMemory(start + prefix.Length, nl - prefix.Length));
                if (doc.RootElement.ValueKind == JsonValueKind.Object) records.Add(doc.RootElement);
            }
            catch (JsonException)
            {
            }
        }
        return records;
    }

    /// <summary>
    /// Above this, records are parsed line by line in place rather than copied into one document: the copy is what
    /// a run with large values must not pay (HumanEval+ answers reach hundreds of MB), and many small records, where
    /// one document pays off, are a few MB at most (a record per test, tens of bytes each).
    /// </summary>
    private const int OneDocumentMaxBytes = 4 << 20;

    /// <summary>
    /// The records parsed as one JSON array built from the record lines: one parse instead of one per line (a
    /// document per line cost the host more than a microsecond per test, most of it renting and zeroing buffers that
    /// the kept documents never returned). Null when that array is not valid JSON (a malformed or truncated line, a
    /// value nested too deep), and the caller then parses line by line, which drops just the bad lines.
    /// </summary>
    private static List<JsonElement>? ReadAsOneDocument(byte[] stdout, byte[] prefix)
    {
        var json = new byte[stdout.Length + 2];
        var length = 0;
        json[length++] = (byte)'[';
        var at = 0;
        while (at < stdout.Length)
        {
            var nl = stdout.AsSpan(at).IndexOf((byte)'\n');
            if (nl < 0) break;
            var line = stdout.AsSpan(at, nl);
            at += nl + 1;
            if (!line.StartsWith(prefix)) continue;
            if (length > 1) json[length++] = (byte)',';
            line[prefix.Length..].CopyTo(json.AsSpan(length));
            length += line.Length - prefix.Length;
        }
        json[length++] = (byte)']';
        try
        {
            var doc = JsonDocument.Parse(json.AsMemory(0, length));
            var records = new List<JsonElement>(doc.RootElement.GetArrayLength());
            foreach (var r in doc.RootElement.EnumerateArray())
                if (r.ValueKind == JsonValueKind.Object) records.Add(r);
            return records;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
