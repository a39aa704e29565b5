using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crucible.Judge;

namespace Crucible.Curation;

/// <summary>
/// A problem as one line of Crucible's own jsonl (the layout <c>crucible eval</c> reads back, see the Crucible
/// format in Crucible.Bench), plus the curation annotations. Also the problem's content identity: the resume store
/// keys results by a hash of this text.
/// </summary>
public static class ProblemJson
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static JsonObject ToJson(Problem p, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var o = new JsonObject
        {
            ["id"] = p.Id,
            ["statement"] = p.Statement,
            ["language"] = p.Language,
        };
        if (p.Prompt is not null) o["prompt"] = p.Prompt;
        if (p.EntryPoint is not null) o["entry_point"] = p.EntryPoint;
        if (p.Metadata.Source is not null) o["source"] = p.Metadata.Source;
        if (p.Metadata.Difficulty is not null) o["difficulty"] = p.Metadata.Difficulty;
        if (p.Metadata.Platform is not null) o["platform"] = p.Metadata.Platform;
        if (p.Metadata.ContestDate is { } d) o["contest_date"] = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var limits = new JsonObject();
        if (p.Limits.CpuTimePerTest is { } cpu) limits["cpu_time_ms"] = Math.Round(cpu.TotalMilliseconds, 1);
        if (p.Limits.MemoryBytes is { } m) limits["memory_mb"] = m / (1024.0 * 1024.0);
        if (limits.Count > 0) o["limits"] = limits;
        o["comparison"] = Comparison(p.Comparison);
        var tests = new JsonArray();
        foreach (var t in p.Tests) tests.Add(Test(t));
        o["tests"] = tests;
        var refs = new JsonArray();
        foreach (var r in p.References) refs.Add(new JsonObject { ["language"] = r.Language, ["code"] = r.Code });
        o["references"] = refs;
        if (annotations is { Count: > 0 })
        {
            var a = new JsonObject();
            foreach (var (k, v) in annotations.OrderBy(kv => kv.Key, StringComparer.Ordinal)) a[k] = v;
            o["curation"] = a;
        }
        return o;
    }

    /// <summary>The problem as one compact JSON line.</summary>
    public static string ToLine(Problem p, IReadOnlyDictionary<string, string>? annotations = null) => ToJson(p, annotations).ToJsonString(Compact);

    /// <summary>SHA-256 of the problem's content (tests, references, limits, statement), hex.</summary>
    public static string ContentHash(Problem p) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ToLine(p))));

    private static JsonObject Comparison(ComparisonOptions c)
    {
        var o = new JsonObject { ["mode"] = c.Mode.ToString().ToLowerInvariant() };
        if (c.AbsoluteTolerance is { } a) o["abs_tol"] = a;
        if (c.RelativeTolerance is { } r) o["rel_tol"] = r;
        if (c.IgnoreCase) o["ignore_case"] = true;
        return o;
    }

    private static JsonObject Test(TestCase t)
    {
        var o = t switch
        {
            StdioTest s => new JsonObject { ["kind"] = "stdio", ["input"] = s.Input, ["output"] = s.ExpectedOutput },
            FunctionCallTest f => Call(f),
            AssertionTest a => new JsonObject { ["kind"] = "assert", ["script"] = a.Script, ["entry_point"] = a.EntryPoint, ["setup"] = a.Setup },
            CheckerTest c => new JsonObject
            {
                ["kind"] = "checker", ["input"] = c.Input, ["output"] = c.ExpectedOutput, ["checker"] = c.CheckerSource, ["checker_language"] = c.CheckerLanguage,
            },
            _ => throw new NotSupportedException($"test kind {t.GetType().Name} has no Crucible jsonl form"),
        };
        if (t.IsPublic) o["public"] = true;
        if (t.Name is not null) o["name"] = t.Name;
        foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList()) o.Remove(key);
        return o;
    }

    private static JsonObject Call(FunctionCallTest f)
    {
        var o = new JsonObject { ["kind"] = "call", ["function"] = f.FunctionName, ["args"] = Value(f.ArgumentsJson), ["expected"] = Value(Expected(f)) };
        if (f.ClassName is not null) o["class"] = f.ClassName;
        return o;
    }

    /// <summary>
    /// The expected value as the test means it: APPS/TACO wrap call results in a one-element list, which the Crucible
    /// layout does not (it has no wrapped flag), so the wrapper is removed.
    /// </summary>
    internal static string Expected(FunctionCallTest f)
    {
        if (!f.ExpectedIsWrapped) return f.ExpectedJson;
        return Value(f.ExpectedJson) is JsonArray { Count: 1 } list ? list[0]?.ToJsonString() ?? "null" : f.ExpectedJson;
    }

    /// <summary>A JSON value from text; text that is not standard JSON (Python's NaN) is kept as a string so the line stays valid.</summary>
    internal static JsonNode? Value(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
