using System.Security.Cryptography;
using Crucible.Agent.Tests.Fakes;

namespace Crucible.Agent.Tests.Repository;

/// <summary>The CLI end to end: `crucible fix` on a local tree and `crucible swe solve` feeding `crucible swe eval`.</summary>
public sealed class RepairCliTests(RepoAgentFixture fixture) : IClassFixture<RepoAgentFixture>
{
    private readonly RepairHarness _h = new(fixture);

    private static string TreeHash(string dir) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n",
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(dir, f) + ":" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))))))).ToLowerInvariant();

    [Fact]
    public async Task Fix_writes_a_patch_without_touching_the_tree_replays_offline_and_applies_only_when_asked()
    {
        fixture.RequirePool();
        var work = Directory.CreateTempSubdirectory("crucible-fix-cli-").FullName;
        try
        {
            var repo = Path.Combine(work, "numkit");
            await RepoAgentFixture.RunAsync("cp", "-r", Path.Combine(RepoAgentFixture.ExamplesDirectory, "repos", "numkit", "base"), repo);
            var issue = Path.Combine(work, "issue.md");
            await File.WriteAllTextAsync(issue, fixture.Task("numkit-1").ProblemStatement, TestContext.Current.CancellationToken);
            var before = TreeHash(repo);
            var model = await _h.ModelAsync("numkit-1");
            var patch = Path.Combine(work, "fix.patch");
            var trace = Path.Combine(work, "fix.trace.json");
            var state = Path.Combine(work, "state");

            await using (var server = await FakeModelServer.StartAsync(model.Reply))
            {
                var run = await CliRunner.RunAsync(state, "fix", "--repo", repo, "--issue", issue, "--base-url", server.BaseUrl.ToString(), "--model", "fake",
                    "--strategy", "repair", "--out", patch, "--trace", trace, "--max-retries", "1");
                Assert.True(run.ExitCode == 0, run.Stderr);
                Assert.Contains("Verified", run.Stderr);
                Assert.Contains("not applied", run.Stderr);
            }
            Assert.Equal(before, TreeHash(repo));
            var written = await File.ReadAllTextAsync(patch, TestContext.Current.CancellationToken);
            Assert.Contains("+++ b/numkit/stats.py", written);
            Assert.DoesNotContain("test_crucible_reproduction", written);

            // The model server is gone: the replay answers model calls and test runs from the trace.
            var replayed = Path.Combine(work, "replayed.patch");
            var replay = await CliRunner.RunAsync(state, "fix", "--repo", repo, "--issue", issue, "--base-url", "http://127.0.0.1:9/v1", "--model", "fake",
                "--strategy", "repair", "--out", replayed, "--replay", trace);
            Assert.True(replay.ExitCode == 0, replay.Stderr);
            Assert.Equal(written, await File.ReadAllTextAsync(replayed, TestContext.Current.CancellationToken));
            Assert.Equal(before, TreeHash(repo));

            await using (var server = await FakeModelServer.StartAsync(model.Reply))
            {
                var applied = await CliRunner.RunAsync(state, "fix", "--repo", repo, "--issue", issue, "--base-url", server.BaseUrl.ToString(), "--model", "fake",
                    "--strategy", "oneshot", "--no-verify", "--out", patch, "--apply");
                Assert.True(applied.ExitCode == 0, applied.Stderr);
            }
            Assert.Contains("(values[mid - 1] + values[mid]) / 2", await File.ReadAllTextAsync(Path.Combine(repo, "numkit", "stats.py"), TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    [Fact]
    public async Task Swe_solve_writes_predictions_that_swe_eval_grades_resolved_and_resumes()
    {
        fixture.RequirePool();
        var work = Directory.CreateTempSubdirectory("crucible-swe-solve-cli-").FullName;
        try
        {
            var model = await _h.ModelAsync("textkit-2");
            var predictions = Path.Combine(work, "predictions.jsonl");
            var state = Path.Combine(work, "state");
            string[] solve = ["swe", "solve", "--tasks", fixture.TasksDirectory, "--repos", fixture.ReposDirectory, "--id", "crucible-demo__textkit-2",
                "--strategy", "oneshot", "--no-verify", "--model", "fake", "--out", predictions];
            await using (var server = await FakeModelServer.StartAsync(model.Reply))
            {
                var run = await CliRunner.RunAsync(state, [.. solve, "--base-url", server.BaseUrl.ToString()]);
                Assert.True(run.ExitCode == 0, run.Stderr);
                var again = await CliRunner.RunAsync(state, [.. solve, "--base-url", server.BaseUrl.ToString()]);
                Assert.Contains("already in", again.Stderr);
            }
            var line = Assert.Single(await File.ReadAllLinesAsync(predictions, TestContext.Current.CancellationToken));
            Assert.Contains("\"instance_id\":\"crucible-demo__textkit-2\"", line);
            Assert.True(File.Exists(Path.Combine(work, "traces", "crucible-demo__textkit-2.trace.json")));

            var eval = await CliRunner.RunAsync(state, "swe", "eval", "--tasks", Path.Combine(fixture.TasksDirectory, "crucible-demo__textkit-2"), "--repos", fixture.ReposDirectory,
                "--predictions", predictions, "--out", Path.Combine(work, "eval"), "--json");
            Assert.True(eval.ExitCode == 0, eval.Stderr);
            var summary = System.Text.Json.Nodes.JsonNode.Parse(eval.Stdout)!;
            Assert.Equal(1, (int)summary["resolved_instances"]!);
            Assert.Equal("crucible-demo__textkit-2", (string)summary["resolved_ids"]![0]!);
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }
}
