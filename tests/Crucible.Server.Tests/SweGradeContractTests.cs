using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crucible.Server.Tests;

/// <summary><c>/v1/swe/grade</c>: one demo instance graded through HTTP, and its input errors.</summary>
public sealed class SweGradeContractTests
{
    private static string Examples()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (Directory.Exists(Path.Combine(dir, "examples", "swe"))) return Path.Combine(dir, "examples", "swe");
        throw new DirectoryNotFoundException("examples/swe");
    }

    private static string Instance(string examples, string id)
    {
        var dir = Path.Combine(examples, "tasks", id);
        var tests = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tests.json")))!;
        var yaml = File.ReadAllLines(Path.Combine(dir, "task.yaml")).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1].Trim('"'));
        return new JsonObject
        {
            ["instance_id"] = yaml["instance_id"], ["repo"] = yaml["repo"], ["base_commit"] = yaml["base_commit"],
            ["test_patch"] = File.ReadAllText(Path.Combine(dir, "test.patch")),
            ["FAIL_TO_PASS"] = tests["FAIL_TO_PASS"]!.ToJsonString(), ["PASS_TO_PASS"] = tests["PASS_TO_PASS"]!.DeepClone(),
        }.ToJsonString();
    }

    [Fact]
    public async Task GradesGoldAndEmptyAndNamesBadInstances()
    {
        using (var py = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import pytest"]) { RedirectStandardError = true })!)
        {
            await py.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.SkipUnless(py.ExitCode == 0, "python3-pytest is not installed");
        }
        var examples = Examples();
        var demo = Directory.CreateTempSubdirectory("crucible-swe-srv").FullName;
        using (var build = Process.Start(new ProcessStartInfo("bash", [Path.Combine(examples, "build-demo.sh"), demo]) { RedirectStandardOutput = true })!)
            await build.WaitForExitAsync(TestContext.Current.CancellationToken);
        await using var s = await TestServer.StartAsync(o => o with { ReposDirectory = Path.Combine(demo, "repos") });
        const string id = "crucible-demo__numkit-1";
        var instance = Instance(examples, id);
        var gold = JsonSerializer.Serialize(File.ReadAllText(Path.Combine(examples, "tasks", id, "gold.patch")));

        var (status, body, _) = await s.PostRawAsync("v1/swe/grade", $"{{\"instance\": {instance}, \"model_patch\": {gold}, \"model_name_or_path\": \"gold\"}}");
        Assert.Equal(200, status);
        Assert.True(body.GetProperty(id).GetProperty("resolved").GetBoolean(), body.ToString());
        Assert.Equal(2, body.GetProperty(id).GetProperty("tests_status").GetProperty("FAIL_TO_PASS").GetProperty("success").GetArrayLength());

        (status, body, _) = await s.PostRawAsync("v1/swe/grade", $"{{\"instance\": {instance}, \"model_patch\": \"\"}}");
        Assert.Equal(200, status);
        Assert.False(body.GetProperty(id).GetProperty("resolved").GetBoolean());
        Assert.Equal("unresolved", body.GetProperty(id).GetProperty("crucible").GetProperty("status").GetString());

        var unknownRepo = instance.Replace("crucible-demo/numkit", "nobody/absent", StringComparison.Ordinal);
        (status, body, _) = await s.PostRawAsync("v1/swe/grade", $"{{\"instance\": {unknownRepo}, \"model_patch\": \"\"}}");
        Assert.True(status == 422, body.ToString());
        Assert.Contains("nobody/absent", body.ToString());

        (status, body, _) = await s.PostRawAsync("v1/swe/grade", "{\"instance\": {\"repo\": \"a/b\"}, \"model_patch\": \"\"}");
        Assert.True(status == 422, body.ToString());
        Assert.Contains("instance_id", body.ToString());
    }
}
