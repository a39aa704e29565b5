using Crucible.Repos.Evaluation;
using Crucible.Repos.Grading;

namespace Crucible.Cli;

/// <summary>Progress of a <c>crucible swe</c> run as lines on stderr (one per task, so CI logs read well).</summary>
internal sealed class SweProgress(int total, bool quiet)
{
    private readonly Lock _gate = new();
    private int _done, _resolved, _resumed;

    public void Report(TaskOutcome o)
    {
        lock (_gate)
        {
            _done++;
            if (o.Report?.Status == GradeStatus.Resolved) _resolved++;
            if (o.Resumed) _resumed++;
            if (quiet) return;
            var status = o.Report is null ? "input error: " + o.InputError : GradeReport.StatusName(o.Report.Status);
            var run = o.Round > 1 ? $" (run {o.Round})" : "";
            Console.Error.WriteLine($"[swe] {_done}/{total} {o.Task.InstanceId} {o.Prediction.ModelName}{run}: {status}{(o.Resumed ? " (stored)" : "")}  — {_resolved} resolved, {_resumed} from store");
        }
    }
}
