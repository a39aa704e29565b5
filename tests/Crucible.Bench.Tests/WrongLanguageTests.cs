using Crucible.Judge;

namespace Crucible.Bench.Tests;

/// <summary>A sample that answers a Python function problem in another language is a wrong answer, not an infrastructure error.</summary>
[Collection("sandbox")]
public sealed class WrongLanguageTests(SandboxFixture sandbox)
{
    private static Problem AddProblem() => new()
    {
        Id = "demo/add",
        Statement = "Write add(a, b).",
        Tests = [new FunctionCallTest("add", "[1, 2]", "3"), new FunctionCallTest("add", "[2, 2]", "4")],
        Limits = new ProblemLimits { CpuTimePerTest = TimeSpan.FromSeconds(1) },
    };

    [Fact]
    public async Task A_cpp_answer_to_a_python_function_problem_is_scored_wrong_not_an_infrastructure_error()
    {
        sandbox.RequireLanguage("cpp");
        var judge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(sandbox.Pool));
        var r = await judge.JudgeAsync(new Submission(AddProblem(), "cpp", "int add(int a, int b) { return a + b; }"), CancellationToken.None);
        Assert.Equal(TestOutcome.WrongAnswer, r.Outcome);
        Assert.False(r.IsInfrastructureError);
        Assert.Equal(2, r.TotalTests);
        Assert.All(r.Tests, t => Assert.Equal(TestOutcome.WrongAnswer, t.Outcome));
        Assert.Contains("cpp", r.Message);
    }

    [Fact]
    public async Task The_same_problem_answered_in_python_is_judged()
    {
        sandbox.RequireLanguage("python");
        var judge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(sandbox.Pool));
        var r = await judge.JudgeAsync(new Submission(AddProblem(), "python", "def add(a, b):\n    return a + b\n"), CancellationToken.None);
        Assert.Equal(TestOutcome.Passed, r.Outcome);
    }
}
