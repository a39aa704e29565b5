using System.CommandLine;

namespace Crucible.Benchmarks;

/// <summary><c>curation dedup</c> and <c>curation verify</c>: the curation pipeline's two costly stages, each against its baseline.</summary>
internal static class CurationBenchmarks
{
    public static Command Create() => new("curation", "Curation benchmarks: near-duplicate detection (LSH vs exhaustive pairs) and verification throughput.")
    {
        CurationDedupBenchmark.Create(),
        CurationVerifyBenchmark.Create(),
    };
}
