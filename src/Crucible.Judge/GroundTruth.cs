using Crucible.Judge.Values;

namespace Crucible.Judge;

/// <summary>
/// Turns the ground truth an RL reward pipeline or a benchmark file carries into tests, whatever dataset it came
/// from. Recognised shapes (exact field names from verl's prime_code / sandbox_fusion rewards, rllm, LiveCodeBench,
/// HumanEval and MBPP):
/// <list type="bullet">
/// <item><c>{"inputs": [...], "outputs": [...], "fn_name"?: "f"}</c> — APPS / TACO / CodeContests: stdin tests, or
/// function-call tests when <c>fn_name</c> is set (each input a JSON array of arguments, or a string of
/// newline-separated JSON values; outputs wrapped in a list are accepted as APPS's grader accepts them).</item>
/// <item><c>{"input_output": ...}</c> — the same, one level down (LiveCodeBench evaluation samples, TACO rows).</item>
/// <item><c>[{"input": "...", "output": "...", "testtype": "stdin"|"functional", "metadata"?: {"func_name": "f"}}, ...]</c>
/// — LiveCodeBench / rllm lists (codeforces and PrimeIntellect lists without <c>testtype</c> are stdin, or
/// function calls when an element has <c>fn_name</c>; any test type that is not call-based — DeepCoder's
/// <c>stdin_stdout</c>, <c>standard_input</c>, … — is stdin).</item>
/// <item>An assertion script: plain text (HumanEval <c>check</c>, MBPP asserts), a JSON string holding it,
/// <c>{"test": "...", "entry_point": "f"}</c>, <c>{"functional": "..."}</c> (rllm LeetCode), or
/// <c>{"test_list": [...], "test_setup_code"?: "..."}</c> and a JSON list of assert strings (MBPP: one test each).</item>
/// </list>
/// </summary>
public static class GroundTruth
{
    /// <summary>
    /// Parses <paramref name="groundTruth"/>. <paramref name="entryPoint"/> names the function when the data does not
    /// (HumanEval's entry_point, LiveCodeBench's func_name kept in problem metadata). Throws
    /// <see cref="FormatException"/> naming the field that is wrong and what was expected.
    /// </summary>
    public static IReadOnlyList<TestCase> Parse(string groundTruth, string? entryPoint = null)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        var text = groundTruth.Trim();
        if (text.Length == 0) throw new FormatException("ground truth is empty; expected a JSON test spec or an assertion script.");
        if (text[0] is not ('{' or '[' or '"')) return [new AssertionTest(groundTruth) { EntryPoint = entryPoint }];
        if (!PyJson.TryParse(text, out var root, out var error))
            throw new FormatException($"ground truth is not valid JSON ({error}). Python literals (single quotes, True/None) are not accepted: serialise with json.dumps.");
        var tests = FromValue(root, entryPoint, 0);
        if (tests.Count == 0) throw new FormatException("ground truth contains no tests.");
        return tests;
    }

    private static List<TestCase> FromValue(PyValue root, string? entryPoint, int depth)
    {
        if (depth > 3) throw new FormatException("ground truth is JSON nested inside JSON strings more than three times.");
        switch (root.Kind)
        {
            case PyKind.Str:
                var inner = root.Text.Trim();
                if (inner.Length > 0 && inner[0] is '{' or '[' && PyJson.TryParse(inner, out var nested, out _))
                    return FromValue(nested, entryPoint, depth + 1);
                return [new AssertionTest(root.Text) { EntryPoint = entryPoint }];
            case PyKind.Dict:
                return FromObject(root, entryPoint, depth);
            case PyKind.List:
                return FromList(root.Items, entryPoint);
            default:
                throw new FormatException($"ground truth is a JSON {root.Kind}; expected an object, a list or an assertion script.");
        }
    }

    private static List<TestCase> FromObject(PyValue o, string? entryPoint, int depth)
    {
        if (Field(o, "input_output") is { } io) return FromValue(io, entryPoint, depth + 1);
        var inputs = Field(o, "inputs");
        var outputs = Field(o, "outputs");
        if (inputs is not null || outputs is not null)
        {
            if (inputs is not { Kind: PyKind.List } || outputs is not { Kind: PyKind.List })
                throw new FormatException("ground truth: 'inputs' and 'outputs' must both be lists.");
            if (inputs.Items.Count != outputs.Items.Count)
                throw new FormatException($"ground truth: 'inputs' has {inputs.Items.Count} entries but 'outputs' has {outputs.Items.Count}; they must pair up.");
            var fn = StringField(o, "fn_name");
            var tests = new List<TestCase>(inputs.Items.Count);
            for (var i = 0; i < inputs.Items.Count; i++)
            {
                tests.Add(fn is null
                    ? new StdioTest(Text(inputs.Items[i], $"inputs[{i}]"), Text(outputs.Items[i], $"outputs[{i}]")) { Name = $"#{i}" }
                    : new FunctionCallTest(fn, Arguments(inputs.Items[i], $"inputs[{i}]"), Expected(outputs.Items[i], $"outputs[{i}]"))
                    {
                        Name = $"#{i}",
                        ExpectedIsWrapped = true,
                    });
            }
            return tests;
        }
        if (StringField(o, "functional") is { } functional) return [new AssertionTest(functional) { EntryPoint = entryPoint }];
        if (StringField(o, "test") is { } test)
            return [new AssertionTest(test) { EntryPoint = StringField(o, "entry_point") ?? entryPoint }];
        if (Field(o, "test_list") is { } list)
        {
            if (list.Kind != PyKind.List || list.Items.Any(x => x.Kind != PyKind.Str))
                throw new FormatException("ground truth: 'test_list' must be a list of assertion strings.");
            var setup = StringField(o, "test_setup_code");
            return list.Items.Select((s, i) => (TestCase)new AssertionTest(s.Text)
            {
                Setup = string.IsNullOrWhiteSpace(setup) ? null : setup,
                EntryPoint = entryPoint,
                Name = $"test_list[{i}]",
            }).ToList();
        }
        var keys = string.Join(", ", o.Entries.Select(e => e.Key.Kind == PyKind.Str ? e.Key.Text : e.Key.ToString()));
        throw new FormatException(
            $"ground truth object has fields [{keys}], none of which is a known test spec: expected 'inputs'+'outputs' (APPS/TACO), " +
            "'input_output', 'test' (HumanEval), 'test_list' (MBPP) or 'functional' (LeetCode).");
    }

    private static List<TestCase> FromList(IReadOnlyList<PyValue> items, string? entryPoint)
    {
        if (items.Count > 0 && items.All(x => x.Kind == PyKind.Str))
            return items.Select((s, i) => (TestCase)new AssertionTest(s.Text) { EntryPoint = entryPoint, Name = $"[{i}]" }).ToList();
        var tests = new List<TestCase>(items.Count);
        string? sharedFn = null;
        foreach (var item in items)
            sharedFn ??= item.Kind == PyKind.Dict ? FunctionName(item) : null;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Kind != PyKind.Dict || Field(item, "input") is not { } input || Field(item, "output") is not { } output)
                throw new FormatException($"ground truth [{i}] must be an object with 'input' and 'output' (LiveCodeBench / rllm test list).");
            var type = StringField(item, "testtype") ?? StringField(item, "type");
            var fn = FunctionName(item) ?? sharedFn ?? entryPoint;
            // Every ecosystem spells the stdin kind its own way (LiveCodeBench "stdin", DeepCoder's preparation
            // "stdin_stdout", others "standard_input", "io"): whatever is not a call-based kind is stdin.
            var functional = type is null ? FunctionName(item) is not null : IsCallBased(type);
            if (!functional)
            {
                tests.Add(new StdioTest(Text(input, $"[{i}].input"), Text(output, $"[{i}].output")) { Name = $"#{i}" });
                continue;
            }
            if (fn is null)
                throw new FormatException($"ground truth [{i}] is a functional test but names no function: add metadata.func_name or fn_name, or pass the entry point.");
            tests.Add(new FunctionCallTest(fn, Arguments(input, $"[{i}].input"), Expected(output, $"[{i}].output")) { Name = $"#{i}" });
        }
        return tests;
    }

    /// <summary>The test-type names that mean "call a function" (LiveCodeBench "functional", APPS "call-based").</summary>
    private static bool IsCallBased(string type) =>
        type.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_') is
            "functional" or "function" or "function_call" or "call_based" or "callbased" or "call" or "fn" or "leetcode";

    private static string? FunctionName(PyValue item) =>
        StringField(item, "fn_name") ?? StringField(item, "func_name") ?? (Field(item, "metadata") is { Kind: PyKind.Dict } m ? StringField(m, "func_name") : null);

    /// <summary>Arguments as a JSON array: a list as is, or a string of newline-separated JSON values (LiveCodeBench functional).</summary>
    private static string Arguments(PyValue v, string where)
    {
        if (v.Kind == PyKind.List) return PyJsonWriter.Write(v);
        if (v.Kind != PyKind.Str) throw new FormatException($"ground truth {where} must be a list of arguments or a string of newline-separated JSON values, not {v.Kind}.");
        var args = new List<PyValue>();
        var lines = v.Text.Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            if (lines[l].Trim().Length == 0 && (l == lines.Length - 1 || lines.Length == 1)) continue;
            if (!PyJson.TryParse(lines[l], out var arg, out var error))
                throw new FormatException($"ground truth {where} line {l + 1} is not a JSON value ({error}); functional inputs are one JSON value per line.");
            args.Add(arg);
        }
        return PyJsonWriter.Write(PyValue.Sequence(PyKind.List, args));
    }

    /// <summary>An expected return value: a JSON string is decoded (LiveCodeBench stores outputs as JSON text).</summary>
    private static string Expected(PyValue v, string where)
    {
        if (v.Kind != PyKind.Str) return PyJsonWriter.Write(v);
        if (!PyJson.TryParse(v.Text, out var decoded, out var error))
            throw new FormatException($"ground truth {where} is a string that is not JSON ({error}); functional outputs are JSON text.");
        return PyJsonWriter.Write(decoded);
    }

    /// <summary>Stdin/stdout text: a string, or a list of lines (some APPS rows).</summary>
    private static string Text(PyValue v, string where) => v.Kind switch
    {
        PyKind.Str => v.Text,
        PyKind.List when v.Items.All(x => x.Kind == PyKind.Str) => string.Join("\n", v.Items.Select(x => x.Text)),
        _ => throw new FormatException($"ground truth {where} must be text (or a list of lines) for a stdin test, not {v.Kind}; set fn_name for function-call tests."),
    };

    private static PyValue? Field(PyValue o, string name)
    {
        foreach (var (k, v) in o.Entries)
            if (k.Kind == PyKind.Str && k.Text == name) return v.Kind == PyKind.None ? null : v;
        return null;
    }

    private static string? StringField(PyValue o, string name) => Field(o, name) is { Kind: PyKind.Str } s && s.Text.Length > 0 ? s.Text : null;
}
