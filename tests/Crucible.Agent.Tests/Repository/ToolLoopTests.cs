using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Repository.Strategies.ToolLoop;
using Crucible.Agent.Solving;
using Crucible.Agent.Tests.Fakes;

namespace Crucible.Agent.Tests.Repository;

public sealed class ToolLoopTests(RepoAgentFixture fixture) : IClassFixture<RepoAgentFixture>
{
    private readonly RepairHarness _h = new(fixture);

    [Fact]
    public async Task Text_mode_resolves_and_folds_old_observations()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("textkit-1");
        var last = "";
        var result = await _h.SolveAsync("textkit-1", "tools", r =>
        {
            Assert.False(r.Body.TryGetProperty("tools", out _));
            last = string.Join("\n", r.Messages.Select(m => m.Content));
            return model.Reply(r);
        }, new RepairSettings { ToolMode = ToolMode.Text, KeepObservations = 1 });
        Assert.Equal(RepairStatus.Verified, result.Status);
        Assert.Contains("(old observation folded:", last);
        Assert.DoesNotContain("[File: src/textkit/slug.py", last); // the window shown at step 1 was folded away
        await _h.AssertResolvedAsync("textkit-1", result);
    }

    [Fact]
    public async Task Auto_mode_switches_to_text_actions_when_the_server_rejects_tools()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("textkit-1");
        model.Override = r => r.Body.TryGetProperty("tools", out _)
            ? FakeReply.Error(400, "\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set")
            : null;
        var result = await _h.SolveAsync("textkit-1", "tools", model.Reply, new RepairSettings { Verify = false });
        Assert.Contains(result.Trace.Events, e => e is DecisionEvent d && d.Message.Contains("switching to text actions", StringComparison.Ordinal));
        await _h.AssertResolvedAsync("textkit-1", result);
    }

    [Fact]
    public async Task Auto_mode_switches_when_the_model_writes_text_commands_instead_of_calls()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("textkit-1");
        // A server that accepts tools but a model that never calls them: it writes commands in its text.
        model.Override = r => r.Body.TryGetProperty("tools", out _) ? FakeReply.Chat($"I'll open it.\n```\nopen {model.Right.FirstFile}\n```") : null;
        var result = await _h.SolveAsync("textkit-1", "tools", model.Reply, new RepairSettings { Verify = false });
        Assert.Contains(result.Trace.Events, e => e is DecisionEvent d && d.Message.Contains("text action instead of a tool call", StringComparison.Ordinal));
        await _h.AssertResolvedAsync("textkit-1", result);
    }

    [Theory]
    [InlineData("Let me look.\n```\nopen src/a.py 40\n```", "open", "src/a.py", 40, null)]
    [InlineData("```\nsearch \"def slugify\" src/textkit/slug.py\n```", "search", "src/textkit/slug.py", null, "def slugify")]
    [InlineData("search separator", "search", null, null, "separator")]
    [InlineData("I think we are done.\n```\nsubmit\n```", "submit", null, null, null)]
    [InlineData("$ run_tests", "run_tests", null, null, null)]
    public void Text_actions_are_read_from_fences_first_then_prose(string answer, string name, string? path, int? line, string? term)
    {
        var a = TextActionParser.Parse(answer)!;
        Assert.Equal((name, path, line, term), (a.Name, a.Path, a.Line, a.Term));
    }

    [Fact]
    public void Search_replace_blocks_are_an_edit_and_prose_without_a_command_is_nothing()
    {
        Assert.Equal("edit", TextActionParser.Parse("a.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n")!.Name);
        Assert.Null(TextActionParser.Parse("I should open the file and search for the bug."));
    }
}
