namespace Crucible.Curation.Tests;

public sealed class DeduplicateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Original =
        "You are given an array of n integers and q queries. Each query gives two indices l and r, and you must print the sum of the " +
        "elements from position l to position r inclusive. Positions are numbered from one. The first line contains n and q, the second " +
        "line the array, and each of the next q lines one query. Print one line per query.";

    // The same problem, reworded: some words replaced, a clause reordered, punctuation and case changed.
    private const string Reworded =
        "You are given an array of n integers and q queries. Each query gives two indices l and r; you have to output the sum of the " +
        "elements from position l to position r inclusive. Positions are numbered starting from one. The first line contains n and q, the second " +
        "line holds the array, and each of the following q lines one query. Print one line per query!";

    // Different problems with the same competitive-programming boilerplate.
    private const string Different1 =
        "You are given an array of n integers. Find the length of the longest strictly increasing contiguous subarray. The first line contains n, " +
        "the second line the array. Print a single integer.";

    private const string Different2 =
        "You are given a string of n lowercase letters and q queries. Each query asks whether the substring from l to r is a palindrome. The first " +
        "line contains n and q, the second line the string, and each of the next q lines one query. Print YES or NO per query.";

    [Fact]
    public async Task Reworded_near_duplicates_are_caught_across_datasets_and_the_copy_with_more_tests_is_kept()
    {
        var a = Problems.Sum("range-sum", tests: 5, statement: Original, dataset: "taco");
        var b = Problems.Sum("prefix-sums", tests: 9, statement: Reworded, dataset: "lcb");
        var c = Problems.Sum("lis", tests: 5, statement: Different1, dataset: "taco");
        var d = Problems.Sum("pal", tests: 5, statement: Different2, dataset: "lcb");
        var copy = Problems.Sum("copy", tests: 3, statement: Different2.ToUpperInvariant().Replace(" ", "  ") + " ", dataset: "taco");

        var outcome = await new DeduplicateStage().RunAsync([a, b, c, d, copy], Problems.Context(_dir), TestContext.Current.CancellationToken);

        Assert.Equal(["lcb:prefix-sums", "taco:lis", "lcb:pal"], outcome.Kept.Select(k => k.Key));
        var near = Problems.Decision(outcome, "taco:range-sum");
        Assert.Equal("near-duplicate", near.Reason);
        Assert.Contains("of lcb:prefix-sums (across datasets", near.Detail);
        Assert.Equal("exact duplicate", Problems.Decision(outcome, "taco:copy").Reason);
        Assert.True(File.Exists(Path.Combine(_dir.Path, "pairs.jsonl")));
        Assert.Contains("\"across_datasets\":true", await File.ReadAllTextAsync(Path.Combine(_dir.Path, "pairs.jsonl"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Lsh_finds_the_same_pairs_as_exhaustive_comparison_on_generated_variants()
    {
        var random = new Random(7);
        var vocabulary = Enumerable.Range(0, 3000).Select(i => "w" + i).ToArray();
        var texts = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            var words = Enumerable.Range(0, 60).Select(_ => vocabulary[random.Next(vocabulary.Length)]).ToArray();
            texts.Add(string.Join(' ', words));
            if (i % 3 == 0)
            {
                for (var k = 0; k < 3; k++) words[random.Next(words.Length)] = vocabulary[random.Next(vocabulary.Length)];
                texts.Add(string.Join(' ', words));
            }
        }
        var index = new NearDuplicateIndex(0.5);
        var shingles = texts.Select(index.Shingles).ToList();

        var lsh = index.FindPairs(shingles).Select(p => (p.First, p.Second)).ToHashSet();
        var truth = index.FindPairsExhaustively(shingles).Select(p => (p.First, p.Second)).ToHashSet();

        Assert.Equal(50, truth.Count);
        Assert.Subset(truth, lsh); // never a false positive: candidates are checked exactly
        Assert.True(lsh.Count >= 49, $"LSH found {lsh.Count} of {truth.Count} pairs");
    }

    [Theory]
    [InlineData(0.5, 3)]
    [InlineData(0.8, 6)]
    public void Band_layout_makes_a_pair_at_the_threshold_a_candidate_with_high_probability(double threshold, int expectedRows)
    {
        var (bands, rows) = NearDuplicateIndex.ChooseBands(threshold, 128);
        Assert.Equal(expectedRows, rows);
        Assert.True(1 - Math.Pow(1 - Math.Pow(threshold, rows), bands) >= 0.99);
    }
}
