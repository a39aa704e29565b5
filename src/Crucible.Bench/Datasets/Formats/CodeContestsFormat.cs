using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// DeepMind CodeContests (contest_problem.proto as exported to JSON/parquet): name, description,
/// public_tests / private_tests / generated_tests = {input: [...], output: [...]}, solutions = {language: [...],
/// solution: [...]}, difficulty, source, time_limit {seconds, nanos}, memory_limit_bytes, cf_rating.
/// All tests are stdin/stdout. Enum values follow the proto (source ATCODER = 6, AIZU = 7; language 1 = Python 2,
/// 2 = C++, 3 = Python 3, 4 = Java); Python 2 references are skipped because the sandbox runs Python 3.
/// </summary>
internal static class CodeContestsFormat
{
    private static readonly Dictionary<int, string> Sources = new() { [1] = "codechef", [2] = "codeforces", [3] = "hackerearth", [4] = "codejam", [6] = "atcoder", [7] = "aizu" };
    private static readonly string[] Difficulties = ["unknown", "easy", "medium", "hard", "harder", "hardest", "external"];

    public static List<Problem> Load(IEnumerable<DatasetRow> rows, LoadContext context)
    {
        var problems = new List<Problem>();
        var index = context.FirstRowIndex;
        foreach (var (row, at) in rows)
        {
            var id = JsonFields.Text(row, "name", "id") ?? $"row-{index}";
            index++;
            var tests = new List<TestCase>();
            AddTests(row, "public_tests", true, at, tests);
            AddTests(row, "private_tests", false, at, tests);
            AddTests(row, "generated_tests", false, at, tests);
            if (tests.Count == 0)
            {
                context.Warnings.Add($"{at}: problem {id} has no tests; skipped.");
                continue;
            }
            TimeSpan? time = null;
            if (JsonFields.Get(row, "time_limit") is { ValueKind: JsonValueKind.Object } tl)
            {
                var seconds = (JsonFields.Number(tl, "seconds") ?? 0) + (JsonFields.Number(tl, "nanos") ?? 0) / 1e9;
                if (seconds > 0) time = TimeSpan.FromSeconds(seconds);
            }
            var memory = JsonFields.Number(row, "memory_limit_bytes") is { } mb and > 0 ? (long)mb : (long?)null;
            var extra = new Dictionary<string, string>();
            if (JsonFields.Text(row, "cf_rating") is { } rating and not "0") extra["cf_rating"] = rating;
            problems.Add(new Problem
            {
                Id = id,
                Statement = JsonFields.Text(row, "description") ?? "",
                Language = "python",
                Tests = tests,
                References = References(row),
                Comparison = ComparisonOptions.Apps,
                Limits = new ProblemLimits { CpuTimePerTest = time, MemoryBytes = memory },
                Metadata = new ProblemMetadata
                {
                    Source = "codecontests",
                    Difficulty = EnumText(row, "difficulty", i => i >= 0 && i < Difficulties.Length ? Difficulties[i] : i >= 7 ? "level-" + (char)('A' + (i >= 19 ? i - 8 : i - 7)) : null),
                    Platform = EnumText(row, "source", i => Sources.GetValueOrDefault(i)),
                    Extra = extra,
                },
            });
        }
        return problems;
    }

    private static string? EnumText(JsonElement row, string field, Func<int, string?> name)
    {
        if (JsonFields.Get(row, field) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Number) return name(v.GetInt32());
        return v.ValueKind == JsonValueKind.String ? v.GetString()!.ToLowerInvariant() : null;
    }

    private static void AddTests(JsonElement row, string field, bool isPublic, string at, List<TestCase> into)
    {
        if (JsonFields.Get(row, field) is not { ValueKind: JsonValueKind.Object } t) return;
        var inputs = JsonFields.Strings(JsonFields.Get(t, "input"));
        var outputs = JsonFields.Strings(JsonFields.Get(t, "output"));
        if (inputs.Count != outputs.Count)
            throw new DatasetException($"{at}: {field} has {inputs.Count} inputs but {outputs.Count} outputs.");
        for (var i = 0; i < inputs.Count; i++)
            into.Add(new StdioTest(inputs[i], outputs[i]) { IsPublic = isPublic, Name = $"{field}[{i}]" });
    }

    private static List<ReferenceSolution> References(JsonElement row)
    {
        var list = new List<ReferenceSolution>();
        if (JsonFields.Get(row, "solutions") is not { ValueKind: JsonValueKind.Object } s) return list;
        var langs = JsonFields.Get(s, "language") is { ValueKind: JsonValueKind.Array } l ? l.EnumerateArray().ToList() : [];
        var code = JsonFields.Strings(JsonFields.Get(s, "solution"));
        for (var i = 0; i < Math.Min(langs.Count, code.Count); i++)
        {
            var lang = langs[i].ValueKind == JsonValueKind.Number ? langs[i].GetInt32() switch { 2 => "cpp", 3 => "python", 4 => "java", _ => null }
                : langs[i].GetString()?.ToLowerInvariant() switch { "cpp" => "cpp", "python3" => "python", "java" => "java", _ => null };
            if (lang is not null) list.Add(new ReferenceSolution(lang, code[i]));
        }
        return list;
    }
}
