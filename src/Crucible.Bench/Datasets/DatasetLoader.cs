using System.Security.Cryptography;
using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// Reads a dataset file (jsonl, JSON, parquet; gzip-compressed or not) into normalized <see cref="Problem"/>s.
/// The layout is detected from the first record's fields unless given; an ambiguous or unknown layout is an error
/// that lists the fields seen and the <c>--format</c> choices.
/// </summary>
public static partial class DatasetLoader
{
    public static async Task<Dataset> LoadAsync(string path, DatasetLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DatasetLoadOptions();
        var full = System.IO.Path.GetFullPath(path);
        using var records = RecordFile.Read(full).GetEnumerator();
        if (!records.MoveNext()) throw new DatasetException($"{path} holds no records.");
        var first = records.Current;
        var format = options.Format == DatasetFormat.Auto ? Detect(first.Value, first.Location) : options.Format;
        var rows = Rest(first, records, cancellationToken);
        var context = new LoadContext(path);
        var problems = format switch
        {
            DatasetFormat.Crucible => CrucibleFormat.Load(rows, context),
            DatasetFormat.HumanEval => HumanEvalFormat.Load(rows, context),
            DatasetFormat.EvalPlus => EvalPlusFormat.Load(rows, context),
            DatasetFormat.Mbpp => MbppFormat.Load(rows, context),
            DatasetFormat.LiveCodeBench => LiveCodeBenchFormat.Load(rows, context),
            DatasetFormat.Apps => AppsFormat.Load(rows, context),
            DatasetFormat.CodeContests => CodeContestsFormat.Load(rows, context),
            DatasetFormat.DeepCoder => DeepCoderFormat.Load(rows, context),
            DatasetFormat.Verl => VerlFormat.Load(rows, context),
            _ => throw new DatasetException($"Unknown dataset format {format}."),
        };
        var duplicates = problems.GroupBy(p => p.Id).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        if (duplicates.Count > 0)
            throw new DatasetException($"{path}: problem ids are not unique ({string.Join(", ", duplicates)}); samples are matched to problems by id, so every id must appear once.");

        var filtered = 0;
        if (options.Since is not null || options.Until is not null)
        {
            var kept = problems.Where(p => InWindow(p, options)).ToList();
            filtered = problems.Count - kept.Count;
            if (problems.Any(p => p.Metadata.ContestDate is null))
                context.Warnings.Add($"{problems.Count(p => p.Metadata.ContestDate is null)} problems have no contest date and were dropped by --since/--until.");
            problems = kept;
        }
        var keptIds = problems.Select(p => p.Id).ToHashSet();
        return new Dataset
        {
            Name = NameOf(full),
            Path = full,
            Sha256 = await Sha256Async(full, cancellationToken).ConfigureAwait(false),
            Format = format,
            Problems = problems,
            PendingOracles = context.Oracles.Where(o => keptIds.Contains(o.ProblemId)).ToList(),
            Warnings = context.Warnings,
            FilteredOut = filtered,
        };
    }

    private static IEnumerable<DatasetRow> Rest(DatasetRow first, IEnumerator<DatasetRow> more, CancellationToken ct)
    {
        yield return first;
        while (more.MoveNext())
        {
            ct.ThrowIfCancellationRequested();
            yield return more.Current;
        }
    }

    internal static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false));
    }

    private static bool InWindow(Problem p, DatasetLoadOptions o) =>
        p.Metadata.ContestDate is { } d && (o.Since is null || d >= o.Since) && (o.Until is null || d <= o.Until);

    private static readonly HashSet<string> GenericStems = new(StringComparer.OrdinalIgnoreCase) { "problems", "data", "dataset", "test", "train", "validation", "eval" };

    /// <summary>Report name: the file stem, prefixed with its directory when the stem alone says nothing (demo/problems).</summary>
    private static string NameOf(string path)
    {
        var stem = StemOf(path);
        var dir = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path));
        return GenericStems.Contains(stem) && !string.IsNullOrEmpty(dir) ? $"{dir}/{stem}" : stem;
    }

    /// <summary>File name without .gz/.jsonl/.json/.parquet, for report titles and default output dirs.</summary>
    public static string StemOf(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        foreach (var ext in new[] { ".gz", ".jsonl", ".json", ".parquet" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) name = name[..^ext.Length];
        return name;
    }

    /// <summary>Tells the layout from one record's fields; throws naming the fields when no layout (or more than one) fits.</summary>
    public static DatasetFormat Detect(JsonElement record, string location = "record")
    {
        bool Has(string n) => JsonFields.Has(record, n);
        var candidates = new List<DatasetFormat>();
        if (Has("tests") && Has("id") && record.GetProperty("tests").ValueKind == JsonValueKind.Array
            && record.GetProperty("tests").EnumerateArray().Any(t => t.ValueKind == JsonValueKind.Object && JsonFields.Has(t, "kind")))
            candidates.Add(DatasetFormat.Crucible);
        if (Has("task_id") && Has("base_input") && Has("plus_input")) candidates.Add(DatasetFormat.EvalPlus);
        else if (Has("task_id") && Has("prompt") && Has("test") && Has("entry_point")) candidates.Add(DatasetFormat.HumanEval);
        if (Has("test_list") && Has("code")) candidates.Add(DatasetFormat.Mbpp);
        if (Has("question_id") && (Has("public_test_cases") || Has("private_test_cases"))) candidates.Add(DatasetFormat.LiveCodeBench);
        if (Has("input_output")) candidates.Add(DatasetFormat.Apps);
        if (Has("public_tests") || Has("private_tests") || Has("generated_tests")) candidates.Add(DatasetFormat.CodeContests);
        if (Has("reward_model") && Has("data_source")) candidates.Add(DatasetFormat.Verl);
        else if ((Has("problem") || Has("question")) && (Has("tests") || Has("ground_truth"))) candidates.Add(DatasetFormat.DeepCoder);
        if (candidates.Count == 1) return candidates[0];
        var choices = "crucible, humaneval, evalplus, mbpp, livecodebench, apps, codecontests, deepcoder, verl";
        if (candidates.Count == 0)
            throw new DatasetException($"{location}: cannot tell the dataset format from its fields ({JsonFields.FieldList(record)}); pass --format ({choices}).");
        throw new DatasetException($"{location}: the fields fit several formats ({string.Join(", ", candidates).ToLowerInvariant()}); pass --format to choose.");
    }

}

/// <summary>Shared state of one load: where we are, what we warned about, which problems need an oracle.</summary>
internal sealed class LoadContext(string path)
{
    public string Path { get; } = path;
    public List<string> Warnings { get; } = [];
    public List<OracleRequest> Oracles { get; } = [];

    /// <summary>Position of the first row handed to the format, for its default ids (row-N) when rows are loaded one at a time.</summary>
    public int FirstRowIndex { get; init; }
}
