using Crucible.Agent.Models;
using Crucible.Repos.Mining;

namespace Crucible.Cli.Tests;

/// <summary>Mined problem statements written by a model, and the placeholder when the model fails.</summary>
public sealed class ModelStatementWriterTests
{
    private sealed class ScriptedModel(Func<ModelRequest, ModelCompletion> answer) : IModelClient
    {
        public List<ModelRequest> Requests { get; } = [];
        public string Model => "scripted";

        public Task<ModelCompletion> CompleteAsync(ModelRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return Task.FromResult(answer(request));
        }
    }

    private static readonly MinedCandidate Candidate = new()
    {
        Repo = "o/r", Commit = "0123456789abcdef", Subject = "fix median", GoldPatch = "+return (a + b) / 2",
        TestPatch = "", FailToPass = ["tests/test_stats.py::test_median_even"], FailingLog = "assert 3 == 2.5",
    };

    [Fact]
    public async Task ModelSeesFailingTestsAndDiffAndItsTextIsTheStatement()
    {
        var model = new ScriptedModel(_ => new ModelCompletion { Text = "median() is wrong for even-length lists\n" });
        var text = await new ModelStatementWriter(model).WriteAsync(Candidate, TestContext.Current.CancellationToken);
        Assert.Equal("median() is wrong for even-length lists\n", text);
        var prompt = Assert.Single(Assert.Single(model.Requests).Messages).Text;
        Assert.Contains("test_median_even", prompt);
        Assert.Contains("assert 3 == 2.5", prompt);
        Assert.Contains("never reveal", prompt);
    }

    [Fact]
    public async Task ModelFailureFallsBackToThePlaceholder()
    {
        var model = new ScriptedModel(_ => throw new ModelException(ModelErrorKind.Unavailable, "boom"));
        var text = await new ModelStatementWriter(model).WriteAsync(Candidate, TestContext.Current.CancellationToken);
        Assert.Contains("tests/test_stats.py::test_median_even", text);
        Assert.DoesNotContain("(a + b)", text);
    }
}
