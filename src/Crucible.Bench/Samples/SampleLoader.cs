using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// Reads samples and matches them to a dataset's problems. Two layouts are accepted:
/// EvalPlus-style jsonl — one sample per line, <c>task_id</c> plus <c>solution</c> (a whole program) or
/// <c>completion</c> (continues the problem's prompt), optional <c>language</c> — and LiveCodeBench-style JSON —
/// <c>[{question_id, code_list: [...]}]</c>, every entry of <c>code_list</c> a sample.
/// A sample holding a markdown fence is treated as a raw model response and its code is extracted
/// (<see cref="CodeExtractor"/>). A directory is read as EvalPlus's codegen writes samples: one folder per task
/// (<c>HumanEval_0</c> for <c>HumanEval/0</c>), one <c>N.py</c> file per sample (<see cref="SampleDirectory"/>).
/// </summary>
public static class SampleLoader
{
    private static readonly string[] IdFields = ["task_id", "question_id", "problem_id", "id"];
    private static readonly string[] SolutionFields = ["solution", "code", "response", "output", "raw"];

    /// <param name="defaultLanguage">Language of samples that name none (<c>--lang</c>); null: the problem's.</param>
    public static async Task<SampleSet> LoadAsync(string path, Dataset dataset, CancellationToken cancellationToken = default, string? defaultLanguage = null)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return await SampleDirectory.LoadAsync(full, dataset, defaultLanguage, cancellationToken).ConfigureAwait(false);
        var rows = RecordFile.Read(full);
        var samples = new List<Sample>();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var counters = new Dictionary<string, int>();
        foreach (var (row, at) in rows)
        {
            var id = JsonFields.Text(row, IdFields)
                ?? throw new DatasetException($"{at}: a sample needs a problem id (task_id or question_id); fields present: {JsonFields.FieldList(row)}.");
            var problem = dataset.Find(id);
            if (problem is null)
            {
                unknown.Add(id);
                continue;
            }
            var language = JsonFields.Text(row, "language", "lang")?.Trim().ToLowerInvariant() ?? defaultLanguage ?? problem.Language;
            var labels = Labels(row);
            if (JsonFields.Get(row, "code_list") is { } list)
            {
                if (list.ValueKind != JsonValueKind.Array) throw new DatasetException($"{at}: 'code_list' must be a list of programs.");
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) throw new DatasetException($"{at}: code_list[{i}] is {item.ValueKind}, expected a string.");
                    samples.Add(Make(problem, item.GetString()!, completion: false, language, $"{at} code_list[{i}]", counters, labels));
                    i++;
                }
                continue;
            }
            if (JsonFields.Text(row, "completion") is { } completion)
                samples.Add(Make(problem, completion, completion: true, language, at, counters, labels));
            else if (JsonFields.Text(row, SolutionFields) is { } solution)
                samples.Add(Make(problem, solution, completion: false, language, at, counters, labels));
            else
                throw new DatasetException($"{at}: sample for {id} has no code; give 'solution' (whole program), 'completion' (continues the prompt) or 'code_list'.");
        }
        if (unknown.Count > 0)
            warnings.Add($"{unknown.Count} sample problem id(s) are not in the dataset and were skipped: {string.Join(", ", unknown.Take(5))}{(unknown.Count > 5 ? ", …" : "")}.");
        if (samples.Count == 0)
            throw new DatasetException($"{path}: no sample matches a problem of {dataset.Name} ({(unknown.Count > 0 ? $"ids such as '{unknown.First()}' are unknown; " : "")}check that the samples were generated for this dataset).");
        return new SampleSet
        {
            Source = full,
            Sha256 = await DatasetLoader.Sha256Async(full, cancellationToken).ConfigureAwait(false),
            Samples = samples,
            UnknownProblemIds = unknown.ToList(),
            Warnings = warnings,
        };
    }

    /// <summary>One sample per problem: its first reference solution. Problems without one are listed in the warnings.</summary>
    public static SampleSet FromReferences(Dataset dataset)
    {
        var samples = new List<Sample>();
        var missing = new List<string>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in dataset.Problems)
        {
            if (p.References.Count == 0)
            {
                missing.Add(p.Id);
                continue;
            }
            var r = p.References[0];
            hash.AppendData(Encoding.UTF8.GetBytes(p.Id + "\0" + r.Language + "\0" + r.Code + "\0"));
            samples.Add(new Sample { ProblemId = p.Id, Index = 0, Language = r.Language, Code = r.Code, Location = $"{p.Id} reference" });
        }
        var warnings = new List<string>();
        if (missing.Count > 0)
            warnings.Add($"{missing.Count} problem(s) have no reference solution and were not checked: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}.");
        return new SampleSet { Source = "reference solutions", Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()), Samples = samples, Warnings = warnings };
    }

    /// <summary>
    /// The program to judge: code cut out of a markdown fence when the text is a raw response; a completion is
    /// appended to the problem's prompt unless the extracted code already defines the entry point.
    /// </summary>
    public static (string Code, bool Extracted) ProgramFor(Problem problem, string text, bool completion, string language)
    {
        if (CodeExtractor.Extract(text, language) is { } code)
        {
            if (completion && problem.Prompt is not null && !Defines(code, problem.EntryPoint)) code = problem.Prompt + code;
            return (code, true);
        }
        return (completion && problem.Prompt is not null ? problem.Prompt + text : text, false);
    }

    private static bool Defines(string code, string? entryPoint) =>
        entryPoint is not null && Regex.IsMatch(code, @"^\s*(?:async\s+)?def\s+" + Regex.Escape(entryPoint) + @"\s*\(", RegexOptions.Multiline);

    internal static Sample Make(Problem problem, string text, bool completion, string language, string at, Dictionary<string, int> counters, IReadOnlyDictionary<string, string> labels)
    {
        var (code, extracted) = ProgramFor(problem, text, completion, language);
        var index = counters.GetValueOrDefault(problem.Id);
        counters[problem.Id] = index + 1;
        return new Sample { ProblemId = problem.Id, Index = index, Language = language, Code = code, Location = at, ExtractedFromMarkdown = extracted, Labels = labels };
    }

    private static Dictionary<string, string> Labels(JsonElement row)
    {
        var labels = new Dictionary<string, string>();
        foreach (var p in row.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.String && !IdFields.Contains(p.Name) && !SolutionFields.Contains(p.Name) && p.Name is not ("completion" or "language" or "lang"))
                labels[p.Name] = p.Value.GetString()!;
        return labels;
    }
}
