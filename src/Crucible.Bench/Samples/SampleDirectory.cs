using System.Security.Cryptography;
using System.Text;

namespace Crucible.Bench;

/// <summary>
/// Samples as EvalPlus's codegen writes them: <c>ROOT/&lt;task_id with '/' as '_'&gt;/&lt;n&gt;.py</c>, each file one
/// whole-program sample (EvalPlus reads them as <c>solution</c>). Folders are matched to problems by the id EvalPlus
/// derives (every '_' back to '/'), else by the folder name itself or its first '_' as '/'.
/// </summary>
public static class SampleDirectory
{
    public static async Task<SampleSet> LoadAsync(string root, Dataset dataset, string? defaultLanguage, CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var counters = new Dictionary<string, int>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var taskDirs = Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal).ToList();
        if (taskDirs.Count == 0)
            throw new DatasetException($"{root} is a directory without task folders; give a samples file (jsonl/json) or EvalPlus's sample directory (one folder per task holding 0.py, 1.py, …).");
        foreach (var dir in taskDirs)
        {
            var name = Path.GetFileName(dir);
            var problem = Candidates(name).Select(dataset.Find).FirstOrDefault(p => p is not null);
            var files = Directory.GetFiles(dir, "*.py").OrderBy(SampleNumber).ThenBy(f => f, StringComparer.Ordinal).ToList();
            if (problem is null)
            {
                if (files.Count > 0) unknown.Add(name.Replace('_', '/'));
                continue;
            }
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var code = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file) + "\0" + code + "\0"));
                samples.Add(SampleLoader.Make(problem, code, completion: false, defaultLanguage ?? problem.Language, Path.GetRelativePath(root, file), counters,
                    new Dictionary<string, string>()));
            }
        }
        var warnings = new List<string>();
        if (unknown.Count > 0)
            warnings.Add($"{unknown.Count} sample folder(s) match no problem of the dataset and were skipped: {string.Join(", ", unknown.Take(5))}{(unknown.Count > 5 ? ", …" : "")}.");
        if (samples.Count == 0)
            throw new DatasetException($"{root}: no sample folder matches a problem of {dataset.Name} (folders are named after task ids with '/' as '_', e.g. HumanEval_0, holding 0.py, 1.py, …).");
        return new SampleSet
        {
            Source = root, Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()), Samples = samples, UnknownProblemIds = unknown.ToList(), Warnings = warnings,
        };
    }

    private static IEnumerable<string> Candidates(string folder)
    {
        yield return folder.Replace('_', '/');
        yield return folder;
        var i = folder.IndexOf('_', StringComparison.Ordinal);
        if (i > 0) yield return folder[..i] + "/" + folder[(i + 1)..];
    }

    /// <summary>EvalPlus numbers samples 0.py, 1.py, …: keep that order (10.py after 9.py).</summary>
    private static long SampleNumber(string file) =>
        long.TryParse(Path.GetFileNameWithoutExtension(file), out var n) ? n : long.MaxValue;
}
