using Crucible.Repos.Evaluation;
using Crucible.Repos.Grading;

namespace Crucible.Cli;

/// <summary>
/// Progress of a <c>crucible swe</c> run: a live bar on an interactive terminal, otherwise one line per task on stderr
/// (so CI logs read well).
/// </summary>
internal sealed class SweProgress(int total, bool quiet)
{
    /// <summary>The live bar's task, when one is drawn.</summary>
    public Spectre.Console.ProgressTask? Bar { get; set; }

    private readonly Lock _gate = new();
    private int _done, _resolved, _resumed;

    public void Report(TaskOutcome o)
    {
        lock (_gate)
        {
            _done++;
            if (o.Report?.Status == GradeStatus.Resolved) _resolved++;
            if (o.Resumed) _resumed++;
            if (Bar is { } bar)
            {
                bar.Increment(1);
                bar.Description = $"{_resolved} resolved, {_resumed} from store";
            }
            if (quiet || Bar is not null) return;
            var status = o.Report is null ? "input error: " + o.InputError : GradeReport.StatusName(o.Report.Status);
            var run = o.Round > 1 ? $" (run {o.Round})" : "";
            Console.Error.WriteLine($"[swe] {_done}/{total} {o.Task.InstanceId} {o.Prediction.ModelName}{run}: {status}{(o.Resumed ? " (stored)" : "")}  — {_resolved} resolved, {_resumed} from store");
        }
    }
}
