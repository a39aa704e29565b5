using Crucible.Sandbox;

namespace Crucible.Judge.Execution;

internal sealed partial class SubmissionRun
{
    /// <summary>The state of one group of function-call tests while it is judged.</summary>
    private sealed class CallGroup(List<int> indices, TimeSpan budget, bool buffer)
    {
        public List<int> Pending { get; } = new(indices);
        public TimeSpan Budget { get; } = budget;
        public TimeSpan Spent { get; set; }
        /// <summary>The next attempt runs the first pending test alone.</summary>
        public bool Alone { get; set; }
        /// <summary>The next attempt has large values sent whole, not as digests (its first test's digest could not decide it).</summary>
        public bool WholeValues { get; set; }
        /// <summary>The next attempt may buffer its records (true until an attempt of this group ends abnormally).</summary>
        public bool Buffer { get; set; } = buffer;
        public bool Done { get; set; }
    }

    /// <summary>
    /// Consecutive groups of function calls (EvalPlus's base and plus inputs) are first tried in one sandbox run: the
    /// harness loads the solution once and runs each group in a process forked from that state, so each group still
    /// starts from a freshly loaded solution, as EvalPlus runs each split in a process of its own, and the sample
    /// pays one run instead of one per group (evalplus-scale: 3,444 runs -> 1,804, wall 35.6 -> 27.5 s). Each group
    /// then goes on alone where that run left it (a test to rerun, a group the run did not reach), exactly as after
    /// its own first attempt.
    /// </summary>
    /// <remarks>
    /// Each group's process gets the CPU its own run would have had as its RLIMIT_CPU, and the host caps the run at
    /// the sum. The per-group limits, and each group's CPU as the kernel counted it for its process (wait4), come from
    /// the harness, in the solution's own process: a solution that tampers with the harness can move CPU between the
    /// groups of its own sample, never past their sum, which the host enforces.
    /// </remarks>
    private async Task RunCallGroupsAsync(List<List<int>> groups, CancellationToken ct)
    {
        var states = groups.Select(g => new CallGroup(g, GroupBudget(g), buffer: true)).ToList();
        var all = groups.SelectMany(g => g).ToList();
        var load = all.Select(CpuFor).Max();
        var caps = states.Select(s => Cap(RunBudget(s.Pending.Select(CpuFor).ToList(), load), s.Budget, TimeSpan.Zero)).ToList();
        var groupOf = new (int, int)[_plan.Tests.Count]; // by test index: a lookup per test while the request is written
        for (var g = 0; g < groups.Count; g++)
            foreach (var i in groups[g]) groupOf[i] = (g, (int)Math.Ceiling(caps[g].TotalSeconds));
        var cpu = TimeSpan.FromTicks(caps.Sum(c => c.Ticks));
        var nonce = PythonHarness.NewNonce();
        var run = await _session.RunAsync(new RunRequest
        {
            Stdin = CallRequest(nonce, all, load, buffered: true, i => groupOf[i], digests: true),
            Args = ["call"],
            Limits = LimitsFor(cpu) with { MaxOutputBytes = OutputAllowance(all, digests: true) },
        }, ct).ConfigureAwait(false);
        var records = PythonHarness.ReadRecords(run.StdoutBytes, nonce);
        var results = CallRecord.ByTest(records); // every group's, read once for all of them
        // Each group's own CPU record ("g", keyed by its first test), found in one pass rather than one per group.
        var groupCpu = new Dictionary<int, double>();
        foreach (var r in records)
            if (r.Is("t"u8, "g"u8) && r.Int("i"u8) is { } gi) groupCpu.TryAdd(gi, r.Seconds("cpu"u8));
        for (var g = 0; g < groups.Count; g++)
        {
            var members = groups[g].ToHashSet();
            // A group's share of the run: its process's CPU as the kernel counted it, else what its tests measured.
            var first = groups[g][0];
            var spent = groupCpu.TryGetValue(first, out var counted)
                ? TimeSpan.FromSeconds(counted)
                : TimeSpan.FromSeconds(records.Where(r => r.Is("t"u8, "r"u8) && r.Int("i"u8) is { } i && members.Contains(i)).Sum(r => r.Seconds("cpu"u8)));
            AfterCallRun(states[g], groups[g], buffered: true, shared: true, records, run, spent, results);
            await ContinueCallsAsync(states[g], ct).ConfigureAwait(false);
        }
    }
}
