using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// rllm / DeepCoder rows (agentica-org/DeepCoder-Preview-Dataset and rllm's prepared files): problem or question,
/// tests or ground_truth (a JSON string or value, in any of the shapes DeepCoder mixes: TACO's
/// {inputs, outputs, fn_name}, LiveCodeBench's [{input, output, testtype}], PrimeIntellect's [{input, output, type,
/// fn_name?}], Codeforces' [{input, output}]), starter_code, metadata (with func_name), data_source.
/// </summary>
internal static class DeepCoderFormat
{
    public static List<Problem> Load(IEnumerable<DatasetRow> rows, LoadContext context)
    {
        var problems = new List<Problem>();
        var index = context.FirstRowIndex;
        foreach (var (row, at) in rows)
        {
            var id = JsonFields.Text(row, "uid", "id", "problem_id", "task_id", "question_id", "index") ?? $"row-{index}";
            index++;
            var statement = JsonFields.Text(row, "problem", "question") ?? "";
            var starter = JsonFields.Text(row, "starter_code");
            var metadata = JsonFields.Embedded(row, "metadata", at);
            var func = metadata is { ValueKind: JsonValueKind.Object } md ? JsonFields.Text(md, "func_name", "fn_name") : null;
            var spec = JsonFields.Has(row, "tests") ? JsonFields.Embedded(row, "tests", at) : JsonFields.Embedded(row, "ground_truth", at);
            var tests = spec is null ? [] : GroundTruthTests.Parse(spec.Value, func, isPublic: false, "test", at + " tests");
            if (tests.Count == 0)
            {
                context.Warnings.Add($"{at}: problem {id} has no tests; skipped.");
                continue;
            }
            var solutions = JsonFields.Get(row, "solutions") is not null ? JsonFields.Strings(JsonFields.Embedded(row, "solutions", at)) : [];
            var extra = new Dictionary<string, string>();
            if (!string.IsNullOrEmpty(starter)) extra["starter_code"] = starter;
            problems.Add(new Problem
            {
                Id = id,
                Statement = statement,
                EntryPoint = tests.OfType<FunctionCallTest>().FirstOrDefault()?.FunctionName ?? func,
                Language = "python",
                Tests = tests,
                References = solutions.Select(s => new ReferenceSolution("python", s)).ToList(),
                Comparison = GroundTruthTests.ComparisonFor(spec!.Value, JsonFields.Text(row, "data_source", "dataset")),
                Metadata = new ProblemMetadata
                {
                    Source = JsonFields.Text(row, "data_source", "dataset") ?? "deepcoder",
                    Difficulty = JsonFields.Text(row, "difficulty")?.ToLowerInvariant(),
                    Platform = JsonFields.Text(row, "platform", "source")?.ToLowerInvariant(),
                    ContestDate = JsonFields.Date(JsonFields.Text(row, "contest_date", "date")),
                    Extra = extra,
                },
            });
        }
        return problems;
    }
}
