using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

public static partial class DatasetLoader
{
    /// <summary>
    /// Reads a dataset row by row, so that one bad row costs that row and not the file: rows that are not JSON, do not
    /// fit the format, or hold no tests come back as <see cref="RowRejection"/>s with the reason, and every other row
    /// as its problems. The format is detected from the first well-formed row unless given. Used by curation, where
    /// every input row must end up either kept or dropped for a recorded reason. Throws
    /// <see cref="DatasetException"/> only when the file itself cannot be read or its format cannot be told.
    /// </summary>
    public static async Task<RowByRowLoad> LoadRowsAsync(string path, DatasetLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DatasetLoadOptions();
        var full = System.IO.Path.GetFullPath(path);
        var rejections = new List<RowRejection>();
        var problems = new List<RowProblem>();
        var oracles = new List<OracleRequest>();
        var format = options.Format;
        var index = 0;
        foreach (var row in RecordFile.Read(full, (at, reason) => rejections.Add(new RowRejection(at, null, reason))))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rowIndex = index++;
            try
            {
                if (format == DatasetFormat.Auto) format = Detect(row.Value, row.Location);
                var context = new LoadContext(path) { FirstRowIndex = rowIndex };
                var loaded = LoadOne(format, row, context);
                oracles.AddRange(context.Oracles);
                if (loaded.Count == 0)
                    rejections.Add(new RowRejection(row.Location, null, context.Warnings.FirstOrDefault() ?? "the row holds no problem"));
                foreach (var p in loaded) problems.Add(new RowProblem(p, row.Location, context.Warnings.ToList()));
            }
            catch (Exception e) when (e is DatasetException or FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
            {
                // Format detection failing on the first row says nothing about the others: try again on the next row.
                rejections.Add(new RowRejection(row.Location, null, e.Message));
            }
        }
        if (problems.Count == 0 && rejections.Count == 0) throw new DatasetException($"{path} holds no records.");
        return new RowByRowLoad
        {
            Name = NameOf(full),
            Path = full,
            Sha256 = await Sha256Async(full, cancellationToken).ConfigureAwait(false),
            Format = format,
            Problems = problems,
            Rejections = rejections,
            PendingOracles = oracles,
        };
    }

    private static List<Problem> LoadOne(DatasetFormat format, DatasetRow row, LoadContext context)
    {
        DatasetRow[] rows = [row];
        return format switch
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
    }
}
