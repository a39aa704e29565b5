using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crucible.Judge;
using Crucible.Sandbox;

namespace Crucible.Bench;

/// <summary>
/// Computes expected outputs that a dataset defines as "what the reference solution returns" (EvalPlus): runs each
/// <see cref="OracleRequest"/>'s reference in the sandbox over its inputs (<see cref="ReferenceDriver"/>) and turns
/// every answer into a <see cref="FunctionCallTest"/>. The reference runs under generous limits of its own
/// (<see cref="Limits"/>, recorded in the manifest). An input whose answer cannot be computed — the reference raises,
/// runs out of time or memory, or dies — is retried alone; if it still fails it becomes a <see cref="DatasetIssue"/>
/// naming the task and input, never a silently missing test. Complete answers are cached by content (code, inputs,
/// Python version) in the result store and in a shared directory, so other runs on the same dataset reuse them.
/// Each test's CPU limit follows EvalPlus: max(4 s, 4 × the reference's time on that input).
/// </summary>
public sealed class ReferenceOracle(SandboxPool pool, ResultStore? cache = null, string? cacheDirectory = null)
{
    /// <summary>What the reference gets: EvalPlus's trusted_exec has no limit at all, so these only stop a runaway.</summary>
    public static ReferenceLimits Limits { get; } = new(TimeSpan.FromSeconds(60), 4L << 30);

    /// <summary>Reference output read so far (all runs of this oracle), to tell whether a completion moved enough memory to compact after it.</summary>
    private long _outputBytes;

    private const long CompactAfterOutputBytes = 64L << 20;

    /// <summary>EvalPlus's per-test limit: max(4 s, 4 × the reference's time on that input) (--min-time-limit 4, --gt-time-limit-factor 4).</summary>
    public static TimeSpan TestLimit(double referenceSeconds) => TimeSpan.FromSeconds(Math.Max(4.0, 4.0 * referenceSeconds));

    /// <summary>The dataset with every pending oracle answered; issues name every input that has no expected output.</summary>
    public Task<Dataset> CompleteAsync(Dataset dataset, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        dataset.PendingOracles.Count == 0 ? Task.FromResult(dataset) : Start(dataset, progress, cancellationToken).Completed;

    /// <summary>
    /// Starts answering the dataset's pending oracles and returns at once: each problem is ready to judge as soon as its
    /// own answers are in (<see cref="ExpectedOutputs.ProblemAsync"/>), the whole dataset when all are.
    /// </summary>
    public ExpectedOutputs Start(Dataset dataset, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (dataset.PendingOracles.Count == 0) return ExpectedOutputs.Complete(dataset);
        var ready = new Dictionary<string, TaskCompletionSource<Problem>>(StringComparer.Ordinal);
        foreach (var r in dataset.PendingOracles)
            if (dataset.Find(r.ProblemId) is not null) ready.TryAdd(r.ProblemId, new TaskCompletionSource<Problem>(TaskCreationOptions.RunContinuationsAsynchronously));
        var completed = CompleteAsync(dataset, ready, progress, cancellationToken);
        return new ExpectedOutputs(dataset, ready.ToDictionary(kv => kv.Key, kv => kv.Value.Task, StringComparer.Ordinal), completed);
    }

    private async Task<Dataset> CompleteAsync(Dataset dataset, Dictionary<string, TaskCompletionSource<Problem>> ready, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        await Task.Yield(); // Start returns before the first reference run is even prepared
        var outputBefore = Interlocked.Read(ref _outputBytes);
        var python = pool.Languages.Require("python");
        var issues = new List<DatasetIssue>(dataset.Issues);
        var answered = new Dictionary<string, Problem>(StringComparer.Ordinal);
        var done = 0;
        // Biggest first, so a long reference does not start last and hold up the end.
        var order = dataset.PendingOracles.OrderByDescending(r => r.Inputs.Count).ToList();
        try
        {
            await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = pool.Options.MaxParallelRuns, CancellationToken = cancellationToken }, async (request, ct) =>
            {
                var (tests, problems) = await AnswerAsync(request, python.Version ?? "", ct).ConfigureAwait(false);
                if (dataset.Find(request.ProblemId) is not { } loaded) return;
                var problem = loaded with { Tests = tests };
                lock (answered)
                {
                    answered[request.ProblemId] = problem;
                    issues.AddRange(problems);
                }
                ready[request.ProblemId].TrySetResult(problem);
                progress?.Report(Interlocked.Increment(ref done));
            }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whoever waits for a problem not answered learns why: the same cancellation or failure.
            foreach (var waiting in ready.Values)
                if (e is OperationCanceledException oce) waiting.TrySetCanceled(oce.CancellationToken);
                else waiting.TrySetException(e);
            throw;
        }

        var problemsOut = dataset.Problems.Select(p => answered.GetValueOrDefault(p.Id) ?? p).ToList();
        foreach (var p in problemsOut.Where(p => answered.ContainsKey(p.Id) && p.Tests.Count == 0))
            issues.Add(new DatasetIssue(p.Id, null, "no usable tests: no expected output could be computed, so the problem is not scored"));
        // Computing answers passes hundreds of MB through large buffers (HumanEval+ has answers of many MB); give that
        // memory back once they are all in (judging may be under way: a pause of its own length) rather than carry a
        // fragmented large-object heap through the run. After a few MB of answers there is nothing worth a full
        // compacting collection (~70 ms on the generated workload).
        if (Interlocked.Read(ref _outputBytes) - outputBefore >= CompactAfterOutputBytes)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        var order2 = dataset.Problems.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        issues.Sort((a, b) => order2.GetValueOrDefault(a.ProblemId).CompareTo(order2.GetValueOrDefault(b.ProblemId)));
        return new Dataset
        {
            Name = dataset.Name, Path = dataset.Path, Sha256 = dataset.Sha256, Format = dataset.Format,
            Problems = problemsOut, Warnings = dataset.Warnings, FilteredOut = dataset.FilteredOut, Issues = issues,
        };
    }

    private async Task<(List<TestCase> Tests, List<DatasetIssue> Issues)> AnswerAsync(OracleRequest request, string pythonVersion, CancellationToken ct)
    {
        var key = CacheKey(request, pythonVersion);
        var issues = new List<DatasetIssue>();
        var answers = Cached(key);
        if (answers is not null && answers.Length != request.Inputs.Count) answers = null; // a damaged entry: recompute
        if (answers is null)
        {
            var (computed, failures) = await ComputeAsync(request, ct).ConfigureAwait(false);
            foreach (var (i, why) in failures) computed[i] = new OracleAnswer(null, 0, why);
            // Failures are cached too: they were already retried, and a rerun must report the same issues.
            // Written to the shared directory, they are read back, so long answers stay in the cache file rather than
            // in memory for the whole evaluation; kept in the result store, they are in memory either way, so the
            // computed ones are used as they are (reading them back parsed every answer a second time).
            answers = Store(key, request.ProblemId, computed) && Cached(key) is { } stored && stored.Length == computed.Length
                ? stored
                : InMemory(computed);
        }
        for (var i = 0; i < answers.Length; i++)
            if (answers[i] is { Error: { } why })
                issues.Add(new DatasetIssue(request.ProblemId, request.Inputs[i].Name, $"the reference solution fails on this input ({why}); the test is left out"));

        var tests = new List<TestCase>(request.Inputs.Count);
        var atolInForce = new Dictionary<string, double>(StringComparer.Ordinal);
        EvalPlusCheck? lastCheck = null;
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            if (answers[i] is not { HasValue: true } answer) continue;
            EvalPlusCheck? evalPlus = null;
            if (request.EvalPlus is { } check)
            {
                // EvalPlus's loop: with no task atol, the first float expectation of a split sets 1e-6 for the rest
                // of that split (find_zero never reaches that line).
                var group = input.Group ?? "";
                var atol = check.Atol != 0 ? check.Atol : atolInForce.GetValueOrDefault(group);
                if (atol == 0 && check.Oracle != EvalPlusOracle.FindZero && IsFloats(answer)) atolInForce[group] = atol = 1e-6;
                // One check per distinct tolerance, shared by the tests that have it (the same value either way).
                evalPlus = atol == check.Atol ? check : lastCheck is { } last && last.Atol == atol ? last : check with { Atol = atol };
                lastCheck = evalPlus;
            }
            tests.Add(answer.Out is { } expectedJson
                ? new FunctionCallTest(request.EntryPoint, input.ArgumentsJson, expectedJson)
                {
                    Name = input.Name, Group = input.Group, CpuTimeLimit = TestLimit(answer.Seconds), EvalPlus = evalPlus,
                }
                : new FunctionCallTest(request.EntryPoint, input.ArgumentsJson, answer.Deferred!)
                {
                    Name = input.Name, Group = input.Group, CpuTimeLimit = TestLimit(answer.Seconds), EvalPlus = evalPlus,
                });
        }
        return (tests, issues);
    }

    private static bool IsFloats(OracleAnswer answer) =>
        answer.Out is { } json ? IsFloats(json) : CanBeFloats(answer.Deferred!.First) && IsFloats(answer.Deferred.Load());

    private static bool CanBeFloats(char first) => first is '-' or '[' or '{' || char.IsAsciiDigit(first);

    /// <summary>EvalPlus's <c>is_floats</c> on an expected value in typed JSON: a float, or a non-empty list/tuple of floats.</summary>
    internal static bool IsFloats(string json)
    {
        // Only floats, lists and tuples can qualify; skip parsing everything else (most answers, some of them huge).
        var first = json.AsSpan().TrimStart();
        if (first.Length == 0 || !CanBeFloats(first[0]) || CannotBeFloats(first)) return false;
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4096 });
        return IsFloats(doc.RootElement);
    }

    /// <summary>
    /// True when the value's first element (or the value itself) shows it is not a float or a list/tuple of floats,
    /// read from the text without parsing it (most answers: lists of ints, strings); false when unsure (then parsed).
    /// </summary>
    private static bool CannotBeFloats(ReadOnlySpan<char> json)
    {
        const string tuple = "{\"$tuple\":";
        if (json.StartsWith(tuple, StringComparison.Ordinal)) json = json[tuple.Length..].TrimStart();
        if (json.IsEmpty || json[0] != '[') return json.Length > 0 && (json[0] == '-' || char.IsAsciiDigit(json[0])) && !IsFloatToken(json);
        json = json[1..].TrimStart();
        // An empty list, or a first element that is not a number and cannot be {"$float": ...}: not all floats.
        if (json.IsEmpty || json[0] == ']' || (json[0] != '{' && json[0] != '-' && !char.IsAsciiDigit(json[0]))) return true;
        return json[0] != '{' && !IsFloatToken(json);
    }

    /// <summary>Whether the number token <paramref name="json"/> starts with has a fraction or an exponent (a float in Python).</summary>
    private static bool IsFloatToken(ReadOnlySpan<char> json)
    {
        var end = json.IndexOfAnyExcept("-+0123456789.eE");
        return (end < 0 ? json : json[..end]).IndexOfAny(".eE") >= 0;
    }

    private static bool IsFloats(JsonElement e)
    {
        if (IsFloat(e)) return true;
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("$tuple", out var items)) e = items;
        return e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0 && e.EnumerateArray().All(IsFloat);
    }

    private static bool IsFloat(JsonElement e) =>
        (e.ValueKind == JsonValueKind.Number && e.GetRawText().AsSpan().IndexOfAny(".eE") >= 0)
        || (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("$float", out _));

    /// <summary>Runs the reference over all inputs; an input that kills its run or fails is retried alone once.</summary>
    private async Task<(OracleAnswer?[] Answers, Dictionary<int, string> Failures)> ComputeAsync(OracleRequest request, CancellationToken ct)
    {
        var answers = new OracleAnswer?[request.Inputs.Count];
        var failures = new Dictionary<int, string>();
        var queue = Enumerable.Range(0, request.Inputs.Count).ToList();
        var buffered = true;
        while (queue.Count > 0)
        {
            var (lines, run) = await RunAsync(request, queue, buffered, ct).ConfigureAwait(false);
            foreach (var (i, answer, error) in lines)
            {
                if (error is null) answers[i] = answer;
                else failures[i] = error;
            }
            var rest = queue.Where(i => answers[i] is null && !failures.ContainsKey(i)).ToList();
            if (rest.Count == 0) break;
            if (buffered)
            {
                // Answers gathered since the driver last wrote are lost with the run: go again, writing each at once.
                buffered = false;
                queue = rest;
                continue;
            }
            // The run ended before answering rest[0]: that input stopped it (or the set-up failed); blame it, go on after it.
            failures[rest[0]] = $"{run.Verdict}: {LastLine(run.Message ?? run.Stderr)}";
            queue = rest.GetRange(1, rest.Count - 1);
        }
        foreach (var i in failures.Keys.ToList())
        {
            var (lines, run) = await RunAsync(request, [i], buffered: false, ct).ConfigureAwait(false);
            if (lines.FirstOrDefault(l => l.Index == i) is { Answer: not null } ok && ok.Error is null)
            {
                answers[i] = ok.Answer;
                failures.Remove(i);
            }
            else failures[i] += lines.Count == 0 ? $"; retried alone: {run.Verdict}: {LastLine(run.Message ?? run.Stderr)}" : "; the same when retried alone";
        }
        return (answers, failures);
    }

    private async Task<(List<(int Index, OracleAnswer? Answer, string? Error)> Lines, RunResult Run)> RunAsync(OracleRequest request, List<int> indices, bool buffered, CancellationToken ct)
    {
        var inputs = new StringBuilder(JsonSerializer.Serialize(request.Code)).Append('\n');
        foreach (var i in indices) inputs.Append(i).Append(' ').Append(request.Inputs[i].ArgumentsJson.ReplaceLineEndings(" ")).Append('\n');
        var limits = new ResourceLimits
        {
            CpuTime = TimeSpan.FromSeconds(Math.Min(3600, 10 + Limits.CpuPerInput.TotalSeconds * indices.Count)),
            MemoryBytes = Limits.MemoryBytes,
            MaxOutputBytes = 1L << 30,
        };
        var notNone = request.EvalPlus?.Oracle == EvalPlusOracle.NotNone;
        await using var session = await pool.OpenSessionAsync(new SourceProgram("python", ReferenceDriver.ProgramFor(request.Code)), limits, ct).ConfigureAwait(false);
        var run = await session.RunAsync(new RunRequest
        {
            Args = [request.EntryPoint, Limits.CpuPerInput.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), notNone ? "1" : "0", buffered ? "1" : "0"],
            Stdin = Encoding.UTF8.GetBytes(inputs.ToString()),
            Limits = limits,
        }, ct).ConfigureAwait(false);
        Interlocked.Add(ref _outputBytes, run.StdoutBytes.Length);
        var lines = new List<(int, OracleAnswer?, string?)>();
        var wanted = indices.ToHashSet();
        // Line by line over the bytes: answers can total hundreds of MB (HumanEval/83), so no whole-output string.
        var rest = new ReadOnlyMemory<byte>(run.StdoutBytes);
        while (!rest.IsEmpty)
        {
            var nl = rest.Span.IndexOf((byte)'\n');
            var line = nl < 0 ? rest : rest[..nl];
            rest = nl < 0 ? ReadOnlyMemory<byte>.Empty : rest[(nl + 1)..];
            if (line.Span.Trim((byte)' ').IsEmpty) continue;
            if (OracleAnswers.TryReadDriverLine(line, out var answered, out var answer))
            {
                if (wanted.Contains(answered)) lines.Add((answered, answer, null));
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 4096 });
                var root = doc.RootElement;
                var i = root.GetProperty("i").GetInt32();
                if (!wanted.Contains(i)) continue;
                lines.Add(root.GetProperty("ok").GetBoolean()
                    ? (i, OracleAnswers.FromLine(line, root.GetProperty("out"), root.TryGetProperty("t", out var t) ? t.GetDouble() : 0), null)
                    : (i, null, root.GetProperty("error").GetString() ?? "failed"));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                break; // a line cut short by the run's end: the inputs after it count as unanswered
            }
        }
        return (lines, run);
    }

    // Cache entries (OracleAnswers' format): a shared file per key when there is a cache directory, else the result store.
    private OracleAnswer?[]? Cached(string key)
    {
        try
        {
            var path = cacheDirectory is null ? null : Path.Combine(cacheDirectory, key + ".jsonl");
            if (path is not null && File.Exists(path)) return OracleAnswers.ReadFile(path);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // A damaged (or vanished) shared entry is recomputed.
        }
        return cache?.GetOracle(key) is { } text ? OracleAnswers.Read(text) : null;
    }

    /// <summary>Computed answers as the result store's copy would give them back: long ones as text, no longer pinning the run's output.</summary>
    private static OracleAnswer?[] InMemory(OracleAnswer?[] computed) =>
        Array.ConvertAll(computed, a => a is { Out: null, Deferred: { } deferred } ? a with { Out = deferred.Load(), Deferred = null } : a);

    /// <summary>Keeps the answers; true when they went to the shared directory (false: the result store, or nowhere).</summary>
    private bool Store(string key, string problemId, OracleAnswer?[] answers)
    {
        if (cacheDirectory is not null)
        {
            try
            {
                Directory.CreateDirectory(cacheDirectory);
                // Unique temporary name, then an atomic rename: concurrent runs never read a half-written entry.
                var tmp = Path.Combine(cacheDirectory, $"{key}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
                using (var w = new StreamWriter(tmp)) OracleAnswers.Write(w, answers);
                File.Move(tmp, Path.Combine(cacheDirectory, key + ".jsonl"), overwrite: true);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unwritable shared directory: the result store keeps them instead.
            }
        }
        // Without a shared directory the result store keeps them (small datasets, tests).
        var text = new StringWriter();
        OracleAnswers.Write(text, answers);
        cache?.PutOracle(key, problemId, text.ToString());
        return false;
    }

    private static string CacheKey(OracleRequest request, string pythonVersion)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256];
        void Add(string s)
        {
            // One buffer for every input (a fresh array per input was most of this hash's cost on large datasets).
            var length = Encoding.UTF8.GetMaxByteCount(s.Length) + 1;
            if (buffer.Length < length) buffer = new byte[Math.Max(length, buffer.Length * 2)];
            var n = Encoding.UTF8.GetBytes(s, buffer);
            buffer[n] = 0;
            h.AppendData(buffer, 0, n + 1);
        }
        Add(ReferenceDriver.Version + "/cache-v2");
        Add(pythonVersion);
        Add(request.EntryPoint);
        Add(request.Code);
        Add(request.EvalPlus?.Oracle == EvalPlusOracle.NotNone ? "not-none" : "value");
        Add(Limits.ToString());
        foreach (var i in request.Inputs) Add(i.ArgumentsJson);
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    private static string LastLine(string s)
    {
        var trimmed = s.Trim();
        var nl = trimmed.LastIndexOf('\n');
        return nl < 0 ? trimmed : trimmed[(nl + 1)..];
    }
}
