using Crucible.Bench;
using Crucible.Sandbox;

namespace Crucible.Cli;

/// <summary>
/// Drops samples whose language no toolchain answers to, with a warning naming each: a misspelt or unsupported
/// language is bad input in the samples, not an infrastructure error (which would be retried forever and never
/// scored). A known language whose toolchain is missing here stays, and is reported as the machine's problem.
/// </summary>
internal static class SampleLanguages
{
    public static SampleSet KeepKnown(SampleSet set, LanguageRegistry languages)
    {
        var unknown = set.Samples.Where(s => !languages.TryGet(s.Language, out _)).ToList();
        if (unknown.Count == 0) return set;
        var known = string.Join(", ", languages.All.Select(l => l.Id));
        var warnings = unknown
            .GroupBy(s => s.Language)
            .Select(g => $"{g.Count()} sample(s) in unknown language '{g.Key}' were not judged (invalid input; e.g. {g.First().Location}); " +
                         $"languages: {known}, or set --lang for samples that name none.")
            .ToList();
        return new SampleSet
        {
            Source = set.Source, Sha256 = set.Sha256, UnknownProblemIds = set.UnknownProblemIds,
            Samples = set.Samples.Except(unknown).ToList(), Warnings = [.. set.Warnings, .. warnings],
        };
    }
}
