using Crucible.Repos.Environments;
using Crucible.Repos.Tasks;

namespace Crucible.Repos.Tests;

/// <summary>Bad input gets an error naming the input (and never a grade).</summary>
public sealed class BadInputTests(DemoFixture f)
{
    private string Temp(string name, string content)
    {
        var path = Path.Combine(f.Root, Guid.NewGuid().ToString("N")[..6] + "-" + name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task MissingRepositoryNamesTheRepoAndWhereItWasLooked()
    {
        var task = f.Task("numkit-1") with { Repo = "nobody/absent" };
        var e = await Assert.ThrowsAsync<RepositoryInputException>(() => f.Grader().GradeAsync(task, Prediction.Gold(task), TestContext.Current.CancellationToken));
        Assert.Contains("nobody/absent", e.Message);
        Assert.Contains("nobody__absent", e.Message);
    }

    [Fact]
    public async Task UnknownCommitNamesTheCommit()
    {
        var task = f.Task("numkit-1") with { BaseCommit = "0123456789abcdef0123456789abcdef01234567" };
        var e = await Assert.ThrowsAsync<RepositoryInputException>(() => f.Grader().GradeAsync(task, Prediction.Gold(task), TestContext.Current.CancellationToken));
        Assert.Contains("0123456789abcdef0123456789abcdef01234567", e.Message);
        Assert.Contains(task.InstanceId, e.Message);
    }

    [Theory]
    [InlineData("{\"instance_id\": \"x-1\", \"base_commit\": \"abc\"}", "'repo'")]
    [InlineData("{\"instance_id\": \"x-1\", \"repo\": \"a/b\", \"base_commit\": \"abc\", \"FAIL_TO_PASS\": \"not json\"}", "FAIL_TO_PASS")]
    [InlineData("{\"instance_id\": \"x-1\", \"repo\": \"a/b\", \"base_commit\": \"abc\", \"PASS_TO_PASS\": 7}", "PASS_TO_PASS")]
    [InlineData("{\"instance_id\": \"x-1\", \"repo\": \"a/b\"", "not a JSON object")]
    public void MalformedInstanceNamesFileLineAndField(string line, string expected)
    {
        var file = Temp("instances.jsonl", "{\"instance_id\": \"ok\", \"repo\": \"a/b\", \"base_commit\": \"abc\"}\n" + line + "\n");
        var e = Assert.Throws<RepositoryInputException>(() => TaskLoader.Load(file));
        Assert.Contains(file + ":2", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void MissingTasksPathIsNamed()
    {
        var e = Assert.Throws<RepositoryInputException>(() => TaskLoader.Load("/nonexistent/tasks.jsonl"));
        Assert.Contains("/nonexistent/tasks.jsonl", e.Message);
    }

    [Fact]
    public void PredictionWithoutPatchFieldIsNamed()
    {
        var file = Temp("preds.jsonl", "{\"instance_id\": \"a\", \"model_name_or_path\": \"m\"}\n");
        var e = Assert.Throws<RepositoryInputException>(() => PredictionLoader.Load(file));
        Assert.Contains("model_patch", e.Message);
        Assert.Contains(file + ":1", e.Message);
    }

    [Fact]
    public void EnvironmentSpecErrorsNameTheFile()
    {
        var file = Temp("env.yaml", "limits:\n  cpu_seconds: -3\n");
        var e = Assert.Throws<RepositoryInputException>(() => RepoEnvironment.Load(file));
        Assert.Contains(file, e.Message);
        Assert.Contains("cpu_seconds", e.Message);
        var noJunit = Temp("env2.yaml", "test_command: pytest {tests}\n");
        Assert.Contains("{junit}", Assert.Throws<RepositoryInputException>(() => RepoEnvironment.Load(noJunit)).Message);
    }
}
