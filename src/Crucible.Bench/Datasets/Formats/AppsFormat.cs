using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// APPS and TACO: question, solutions (JSON string of Python solutions), starter_code, difficulty, url,
/// input_output (JSON string of {inputs, outputs, fn_name}); TACO adds name, source, time_limit ("2 seconds"),
/// memory_limit ("256 megabytes"), date, tags. With fn_name the tests are function calls (a module-level function,
/// else a method of <c>Solution()</c>), otherwise stdin/stdout; parsed by the judge's <see cref="GroundTruth"/> and
/// compared as APPS's grader does (<see cref="ComparisonOptions.Apps"/>).
/// </summary>
internal static partial class AppsFormat
{
    public static List<Problem> Load(IEnumerable<DatasetRow> rows, LoadContext context)
    {
        var problems = new List<Problem>();
        var index = context.FirstRowIndex;
        foreach (var (row, at) in rows)
        {
            var id = JsonFields.Text(row, "problem_id", "id", "task_id", "name") ?? $"row-{index}";
            index++;
            var starter = JsonFields.Text(row, "starter_code");
            var io = JsonFields.Embedded(row, "input_output", at);
            var tests = io is null ? [] : GroundTruthTests.Parse(io.Value, null, isPublic: false, "test", at + " input_output");
            if (tests.Count == 0)
            {
                context.Warnings.Add($"{at}: problem {id} has no input_output tests; skipped.");
                continue;
            }
            var fn = io is { } spec ? JsonFields.Text(spec, "fn_name") : null;
            var solutions = JsonFields.Strings(JsonFields.Embedded(row, "solutions", at));
            var url = JsonFields.Text(row, "url");
            var extra = new Dictionary<string, string>();
            if (!string.IsNullOrEmpty(starter)) extra["starter_code"] = starter;
            if (url is not null) extra["url"] = url;
            problems.Add(new Problem
            {
                Id = id,
                Statement = JsonFields.Text(row, "question", "description") ?? "",
                EntryPoint = fn,
                Language = "python",
                Tests = tests,
                References = solutions.Select(s => new ReferenceSolution("python", s)).ToList(),
                Comparison = ComparisonOptions.Apps,
                Limits = new ProblemLimits { CpuTimePerTest = Seconds(JsonFields.Text(row, "time_limit")), MemoryBytes = Megabytes(JsonFields.Text(row, "memory_limit")) },
                Metadata = new ProblemMetadata
                {
                    Source = JsonFields.Has(row, "skill_types") || JsonFields.Has(row, "raw_tags") ? "taco" : "apps",
                    Difficulty = JsonFields.Text(row, "difficulty")?.ToLowerInvariant(),
                    Platform = JsonFields.Text(row, "source")?.ToLowerInvariant() ?? PlatformOf(url),
                    ContestDate = JsonFields.Date(JsonFields.Text(row, "date")),
                    Extra = extra,
                },
            });
        }
        return problems;
    }

    private static string? PlatformOf(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var u)) return null;
        var host = u.Host.StartsWith("www.", StringComparison.Ordinal) ? u.Host[4..] : u.Host;
        var dot = host.IndexOf('.');
        return dot > 0 ? host[..dot] : host;
    }

    internal static TimeSpan? Seconds(string? text)
    {
        var m = text is null ? Match.Empty : Amount().Match(text);
        if (!m.Success) return null;
        var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToLowerInvariant();
        return v <= 0 ? null : unit.StartsWith("ms", StringComparison.Ordinal) || unit.StartsWith("milli", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(v) : TimeSpan.FromSeconds(v);
    }

    internal static long? Megabytes(string? text)
    {
        var m = text is null ? Match.Empty : Amount().Match(text);
        if (!m.Success) return null;
        var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToLowerInvariant();
        var mult = unit.StartsWith('k') ? 1024.0 : unit.StartsWith('g') ? 1024.0 * 1024 * 1024 : 1024.0 * 1024;
        return v <= 0 ? null : (long)(v * mult);
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)")]
    private static partial Regex Amount();
}
