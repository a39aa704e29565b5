using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Crucible.Curation;

namespace Crucible.Benchmarks;

/// <summary>
/// <c>curation dedup</c>: near-duplicate detection with MinHash + LSH on N generated statements, and — on a subset —
/// side by side with the exact answer from comparing every pair (the quadratic baseline). Statements are drawn from a
/// Zipf vocabulary with shared boilerplate sentences; a share of them are edited copies of an earlier one (words
/// replaced, inserted, deleted at a random rate), so similarities spread across the threshold.
/// </summary>
internal static class CurationDedupBenchmark
{
    public static Command Create()
    {
        var count = new Option<int>("--statements") { Description = "Generated statements.", DefaultValueFactory = _ => 100_000 };
        var subset = new Option<int>("--subset") { Description = "Statements compared exhaustively (every pair).", DefaultValueFactory = _ => 2_000 };
        var threshold = new Option<double>("--threshold") { Description = "Jaccard threshold.", DefaultValueFactory = _ => 0.5 };
        var cmd = new Command("dedup", "Near-duplicate detection: LSH on many statements; recall/precision and time vs exhaustive pairs on a subset.") { count, subset, threshold };
        cmd.SetAction(parse => Run(parse.GetValue(count), parse.GetValue(subset), parse.GetValue(threshold)));
        return cmd;
    }

    private static int Run(int count, int subsetSize, double threshold)
    {
        var texts = Generate(count, seed: 42);
        var index = new NearDuplicateIndex(threshold);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} statements ({texts.Average(t => t.Split(' ').Length):0} words on average), threshold {threshold}, 3-word shingles, LSH {index.Bands} bands × {index.Rows} rows; {Environment.ProcessorCount} cores"));

        var (shingles, shingleTime, _) = Measure(() => texts.Select(index.Shingles).ToList());
        var (pairs, lshTime, lshCpu) = Measure(() => index.FindPairs(shingles));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"full set, LSH: {pairs.Count} near-duplicate pairs from {index.CandidatesLastRun} candidates in {lshTime.TotalSeconds:0.00} s wall, {lshCpu.TotalSeconds:0.00} s CPU " +
            $"({lshCpu.TotalMicroseconds / count:0} µs CPU per statement; shingling {shingleTime.TotalSeconds:0.00} s)"));

        var sub = shingles.Take(subsetSize).ToList();
        var (truth, exhaustiveTime, exhaustiveCpu) = Measure(() => index.FindPairsExhaustively(sub));
        var (found, subLshTime, subLshCpu) = Measure(() => index.FindPairs(sub));
        var truthSet = truth.Select(p => (p.First, p.Second)).ToHashSet();
        var foundSet = found.Select(p => (p.First, p.Second)).ToHashSet();
        var hits = foundSet.Count(truthSet.Contains);
        var recall = truthSet.Count == 0 ? 1 : (double)hits / truthSet.Count;
        var precision = foundSet.Count == 0 ? 1 : (double)hits / foundSet.Count;
        var pairsCompared = (long)subsetSize * (subsetSize - 1) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"subset of {subsetSize}: exhaustive {pairsCompared} pairs → {truthSet.Count} true pairs in {exhaustiveTime.TotalSeconds:0.000} s wall, {exhaustiveCpu.TotalSeconds:0.000} s CPU; " +
            $"LSH {foundSet.Count} pairs in {subLshTime.TotalSeconds:0.000} s wall, {subLshCpu.TotalSeconds:0.000} s CPU"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"subset: recall {recall:0.0000}, precision {precision:0.0000}, LSH/exhaustive CPU {subLshCpu.TotalSeconds / Math.Max(1e-9, exhaustiveCpu.TotalSeconds):0.00}×"));
        var extrapolated = exhaustiveCpu.TotalSeconds * ((double)count * (count - 1)) / Math.Max(1, (double)subsetSize * (subsetSize - 1));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"full set: exhaustive comparison would take ≈{extrapolated:0} s CPU (quadratic extrapolation of the subset); LSH took {lshCpu.TotalSeconds:0.0} s CPU: {extrapolated / Math.Max(1e-9, lshCpu.TotalSeconds):0}× less"));
        return 0;
    }

    private static (T Value, TimeSpan Wall, TimeSpan Cpu) Measure<T>(Func<T> work)
    {
        var cpu = ProcessCpu.Now();
        var clock = Stopwatch.StartNew();
        var value = work();
        return (value, clock.Elapsed, ProcessCpu.Now() - cpu);
    }

    /// <summary>Statements: 15% are edited copies of one of the previous 1,500 (so a prefix subset holds many pairs).</summary>
    internal static List<string> Generate(int count, int seed)
    {
        var random = new Random(seed);
        const int vocabulary = 20_000;
        // Zipf(1.1) cumulative weights, so common words recur as in real statements.
        var cumulative = new double[vocabulary];
        double total = 0;
        for (var i = 0; i < vocabulary; i++) cumulative[i] = total += 1 / Math.Pow(i + 1, 1.1);
        string Word()
        {
            var x = random.NextDouble() * total;
            var i = Array.BinarySearch(cumulative, x);
            return "w" + (i < 0 ? ~i : i).ToString(CultureInfo.InvariantCulture);
        }
        var boilerplate = Enumerable.Range(0, 40).Select(_ => string.Join(' ', Enumerable.Range(0, 12).Select(_ => Word()))).ToArray();
        var texts = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && random.NextDouble() < 0.15)
            {
                var parent = texts[random.Next(Math.Max(0, i - 1500), i)].Split(' ').ToList();
                var rate = 0.05 + random.NextDouble() * 0.35;
                var edits = (int)(parent.Count * rate);
                for (var e = 0; e < edits; e++)
                {
                    var at = random.Next(parent.Count);
                    switch (random.Next(3))
                    {
                        case 0: parent[at] = Word(); break;
                        case 1: parent.Insert(at, Word()); break;
                        default: if (parent.Count > 10) parent.RemoveAt(at); break;
                    }
                }
                texts.Add(string.Join(' ', parent));
                continue;
            }
            var words = new List<string> { boilerplate[random.Next(boilerplate.Length)] };
            var length = 50 + random.Next(100);
            for (var w = 0; w < length; w++) words.Add(Word());
            words.Add(boilerplate[random.Next(boilerplate.Length)]);
            texts.Add(string.Join(' ', words));
        }
        return texts;
    }
}
