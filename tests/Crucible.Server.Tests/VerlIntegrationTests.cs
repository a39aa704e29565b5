using System.Text.Json;

namespace Crucible.Server.Tests;

/// <summary>integrations/verl/crucible_reward.py run by the system Python against a live server, as verl would call it.</summary>
[Collection("server")]
public sealed class VerlIntegrationTests(ServerFixture fx)
{
    private static readonly string ModuleDir = Path.Combine(AppContext.BaseDirectory, "verl");

    private Task<JsonElement> RunAsync(string script) =>
        Python3.RunJsonAsync(script, [], new Dictionary<string, string?> { ["PYTHONPATH"] = ModuleDir, ["CRUCIBLE_URL"] = fx.Server.BaseAddress.ToString() });

    private const string Setup = """
        import json, crucible_reward as cr
        truth = json.dumps({"inputs": ["1 2\n", "5 5\n"], "outputs": ["3\n", "10\n"]})
        right = "Sure:\n```python\na, b = map(int, input().split())\nprint(a + b)\n```"
        wrong = "```python\nprint(3)\n```"
        """;

    [Fact]
    public async Task ComputeScoreScoresOneItemAsVerlCallsIt()
    {
        var r = await RunAsync(Setup + """

            out = {
              "right": cr.compute_score("codecontests", right, truth, {"index": 0}),
              "wrong": cr.compute_score("codecontests", wrong, truth),
              "plain": cr.compute_score("codecontests", right, truth, None, return_dict=False),
              "fraction": cr.compute_score("codecontests", wrong, truth, None, scoring="fraction", return_dict=False),
            }
            print(json.dumps(out))
            """);
        Assert.Equal(1.0, r.GetProperty("right").GetProperty("score").GetDouble());
        Assert.Equal(0, r.GetProperty("right").GetProperty("infra_error").GetInt32());
        Assert.Equal(2, r.GetProperty("right").GetProperty("total_tests").GetInt32());
        Assert.Equal(0.0, r.GetProperty("wrong").GetProperty("score").GetDouble());
        Assert.Equal(1.0, r.GetProperty("plain").GetDouble());
        Assert.Equal(0.5, r.GetProperty("fraction").GetDouble());
    }

    [Fact]
    public async Task BatchVariantKeepsOrderAndFailsOverFromADeadServer()
    {
        var r = await RunAsync(Setup + """

            import socket
            s = socket.socket(); s.bind(("127.0.0.1", 0)); dead = "http://127.0.0.1:%d" % s.getsockname()[1]; s.close()
            import os
            url = dead + "," + os.environ["CRUCIBLE_URL"]
            scores = cr.compute_score_batch(
                data_sources=["codecontests"] * 4,
                solution_strs=[right, wrong, "no code at all", right],
                ground_truths=[truth, truth, truth, {"inputs": ["2 2\n"], "outputs": ["4\n"]}],
                extra_infos=[{"index": i} for i in range(4)],
                url=url)
            print(json.dumps(scores))
            """);
        Assert.Equal([1.0, 0.0, 0.0, 1.0], r.EnumerateArray().Select(x => x.GetProperty("score").GetDouble()));
    }

    [Fact]
    public async Task InvalidItemsRaiseOrAreFlaggedNeverSilentlyZero()
    {
        var r = await RunAsync(Setup + """

            out = {}
            try:
                cr.compute_score("codecontests", right, '{"inputs": [1]}')
                out["raised"] = None
            except cr.CrucibleRequestError as e:
                out["raised"] = str(e)
            out["flagged"] = cr.compute_score("codecontests", right, '{"inputs": [1]}', on_invalid=0.0)
            try:
                cr.compute_score("codecontests", right, truth, scoring="partial")
            except cr.CrucibleRequestError as e:
                out["field"] = e.field
            print(json.dumps(out))
            """);
        Assert.Contains("invalid", r.GetProperty("raised").GetString());
        Assert.Equal(1, r.GetProperty("flagged").GetProperty("invalid").GetInt32());
        Assert.Equal(0.0, r.GetProperty("flagged").GetProperty("score").GetDouble());
        Assert.Equal("scoring", r.GetProperty("field").GetString());
    }
}
