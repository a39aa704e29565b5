using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crucible.Server.Tests;

/// <summary>
/// Every field of every execution endpoint set to values no client should send — out of range, NaN spelled as
/// text, empty, null, the wrong type, path traversal, directories, NUL — must come back as a 4xx naming the
/// field (or be a valid request answered 200), never a 500, and never an error that shows a host path.
/// </summary>
[Collection("server")]
public sealed class FieldFuzzTests(ServerFixture fx)
{
    private TestServer S => fx.Server;

    private static readonly JsonNode?[] Numbers =
        [-1, 0, 1e-300, 1e-9, 1e308, 9.2e18, long.MaxValue, long.MinValue, "NaN", "1", "", null, true, new JsonArray(), new JsonObject()];

    private static readonly JsonNode?[] Strings =
        ["", " ", null, 7, "../../etc/passwd", ".", "/work/", "x/", "a\u0000b", "/etc/shadow", new string('z', 5000), new JsonArray(), new JsonObject()];

    private static readonly JsonNode?[] Paths = ["", ".", "..", "./", "/work/", "/work", "x/", "a//b", "a/./b", "../a", "/etc/passwd", "a\u0000b", new string('p', 2000)];

    private static readonly string[] RunCodeNumbers = ["compile_timeout", "run_timeout", "memory_limit_MB"];
    private static readonly string[] RunCodeStrings = ["code", "language", "stdin"];

    private static JsonObject RunCodeBase() => new() { ["code"] = "print(1)", ["language"] = "python", ["run_timeout"] = 5 };

    private static JsonObject JudgeBase() => new()
    {
        ["language"] = "python",
        ["code"] = "print(int(input()) + 1)",
        ["problem"] = new JsonObject
        {
            ["tests"] = new JsonArray(new JsonObject { ["kind"] = "stdio", ["input"] = "1\n", ["output"] = "2\n" }),
            ["cpu_time_limit_s"] = 2,
            ["memory_limit_mb"] = 256,
        },
    };

    private static JsonObject RewardsBase() => new()
    {
        ["items"] = new JsonArray(new JsonObject
        {
            ["data_source"] = "livecodebench",
            ["solution_str"] = "```python\nprint(int(input()) + 1)\n```",
            ["ground_truth"] = """[{"input": "1\n", "output": "2\n", "testtype": "stdin"}]""",
            ["extra_info"] = new JsonObject { ["index"] = 0 },
        }),
        ["scoring"] = "binary",
    };

    /// <summary>(endpoint, description, body) for every field × bad value.</summary>
    public static IEnumerable<TheoryDataRow<string, string>> Cases()
    {
        var cases = new List<(string, string, JsonObject)>();
        foreach (var f in RunCodeNumbers) foreach (var v in Numbers) cases.Add(("run_code", $"{f}={Show(v)}", With(RunCodeBase(), b => b[f] = v?.DeepClone())));
        foreach (var f in RunCodeStrings) foreach (var v in Strings) cases.Add(("run_code", $"{f}={Show(v)}", With(RunCodeBase(), b => b[f] = v?.DeepClone())));
        foreach (var p in Paths)
        {
            cases.Add(("run_code", $"files[{Show(p)}]", With(RunCodeBase(), b => b["files"] = new JsonObject { [p!.GetValue<string>()] = "YQ==" })));
            cases.Add(("run_code", $"fetch_files[{Show(p)}]", With(RunCodeBase(), b => b["fetch_files"] = new JsonArray(p!.DeepClone()))));
        }
        foreach (var v in Numbers)
        {
            cases.Add(("v1/judge", $"cpu_time_limit_s={Show(v)}", With(JudgeBase(), b => b["cpu_time_limit_s"] = v?.DeepClone())));
            cases.Add(("v1/judge", $"problem.cpu_time_limit_s={Show(v)}", With(JudgeBase(), b => b["problem"]!["cpu_time_limit_s"] = v?.DeepClone())));
            cases.Add(("v1/judge", $"problem.memory_limit_mb={Show(v)}", With(JudgeBase(), b => b["problem"]!["memory_limit_mb"] = v?.DeepClone())));
            cases.Add(("v1/judge", $"problem.tests[0].cpu_time_limit_s={Show(v)}", With(JudgeBase(), b => b["problem"]!["tests"]![0]!["cpu_time_limit_s"] = v?.DeepClone())));
            cases.Add(("v1/judge", $"problem.comparison.abs_tol={Show(v)}", With(JudgeBase(), b => b["problem"]!["comparison"] = new JsonObject { ["abs_tol"] = v?.DeepClone() })));
            cases.Add(("v1/rewards", $"cpu_time_limit_s={Show(v)}", With(RewardsBase(), b => b["cpu_time_limit_s"] = v?.DeepClone())));
            cases.Add(("v1/rewards", $"tests.count={Show(v)}", With(RewardsBase(), b => b["tests"] = new JsonObject { ["policy"] = "first", ["count"] = v?.DeepClone() })));
        }
        foreach (var v in Strings)
        {
            cases.Add(("v1/judge", $"language={Show(v)}", With(JudgeBase(), b => b["language"] = v?.DeepClone())));
            cases.Add(("v1/judge", $"problem.tests[0].kind={Show(v)}", With(JudgeBase(), b => b["problem"]!["tests"]![0]!["kind"] = v?.DeepClone())));
            cases.Add(("v1/judge", $"problem.comparison.preset={Show(v)}", With(JudgeBase(), b => b["problem"]!["comparison"] = new JsonObject { ["preset"] = v?.DeepClone() })));
            cases.Add(("v1/rewards", $"scoring={Show(v)}", With(RewardsBase(), b => b["scoring"] = v?.DeepClone())));
            cases.Add(("v1/rewards", $"language={Show(v)}", With(RewardsBase(), b => b["language"] = v?.DeepClone())));
            cases.Add(("v1/rewards", $"comparison.preset={Show(v)}", With(RewardsBase(), b => b["comparison"] = new JsonObject { ["preset"] = v?.DeepClone() })));
            cases.Add(("v1/rewards", $"tests.policy={Show(v)}", With(RewardsBase(), b => b["tests"] = new JsonObject { ["policy"] = v?.DeepClone(), ["count"] = 1 })));
        }
        var deep = new string('[', 4000) + new string(']', 4000);
        foreach (var v in Strings.Append(deep).Append("{\"inputs\": [\"1\"], \"outputs\": [\"1\"], \"fn_name\": \"../x\"}").Append("[{\"input\": 1, \"output\": 2}]"))
        {
            foreach (var f in new[] { "ground_truth", "solution_str", "data_source", "extra_info" })
                cases.Add(("v1/rewards", $"items[0].{f}={Show(v)}", With(RewardsBase(), b => b["items"]![0]![f] = v?.DeepClone())));
            cases.Add(("v1/judge", $"ground_truth={Show(v)}", With(JudgeBase(), b => { b.Remove("problem"); b["ground_truth"] = v?.DeepClone(); })));
            cases.Add(("v1/judge", $"entry_point={Show(v)}", With(JudgeBase(), b => { b.Remove("problem"); b["ground_truth"] = "assert f(1) == 1"; b["entry_point"] = v?.DeepClone(); })));
        }
        return cases.Select(c => new TheoryDataRow<string, string>(c.Item1, c.Item3.ToJsonString()) { TestDisplayName = $"{c.Item1} {c.Item2}" });
    }

    private static JsonObject With(JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body;
    }

    private static string Show(JsonNode? v) => v is null ? "null" : v.ToJsonString() is { Length: > 24 } s ? s[..24] + "…" : v.ToJsonString();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task NoFieldValueGivesAServerError(string endpoint, string json)
    {
        var (status, body, _) = await S.PostRawAsync(endpoint, json, r => r.Headers.Add("X-Crucible-Timeout", "60"));
        Assert.True(status is 200 or (>= 400 and < 500), $"{endpoint} answered {status}: {body}");
        if (status == 200) return;
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("field").GetString()), $"no field named: {body}");
        var message = error.GetProperty("message").GetString()!;
        Assert.DoesNotContain(S.StateRoot, message);
        Assert.DoesNotContain("/tmp/", message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e-300")]
    [InlineData("-5")]
    [InlineData("soon")]
    public async Task ABadDeadlineHeaderIsA422NamingIt(string value)
    {
        var (status, body, _) = await S.PostRawAsync("run_code", """{"code": "print(1)", "language": "python"}""", r => r.Headers.Add("X-Crucible-Timeout", value));
        Assert.Equal(422, status);
        Assert.Equal("X-Crucible-Timeout", body.GetProperty("error").GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("x/")]
    [InlineData(".")]
    [InlineData("/work/")]
    [InlineData("a/../../b")]
    public async Task FileNamesThatAreNotFilesAre422WithoutAHostPath(string name)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["code"] = "print(1)", ["language"] = "python", ["files"] = new Dictionary<string, string> { [name] = "YQ==" } });
        var (status, body, _) = await S.PostRawAsync("run_code", json);
        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal($"files[\"{name}\"]", error.GetProperty("field").GetString());
        Assert.DoesNotContain(S.StateRoot, error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("a", "a/b")]
    [InlineData("d/a/b", "d/a")]
    [InlineData("a", "/work/a")]
    [InlineData("./x", "x")]
    public async Task FilesThatCannotAllBeWrittenAre422WithoutAHostPath(string first, string second)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["code"] = "print(1)", ["language"] = "python", ["files"] = new Dictionary<string, string> { [first] = "YQ==", [second] = "Yg==" },
        });
        var (status, body, _) = await S.PostRawAsync("run_code", json);
        Assert.Equal(422, status);
        Assert.Equal("files", body.GetProperty("error").GetProperty("field").GetString());
        Assert.DoesNotContain(S.StateRoot, body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task MemoryAboveTheServersCeilingIsRefusedNamingTheField()
    {
        var (status, body, _) = await S.PostRawAsync("run_code", """{"code": "print(1)", "language": "python", "memory_limit_MB": 1048576}""");
        Assert.Equal(422, status);
        Assert.Equal("memory_limit_MB", body.GetProperty("error").GetProperty("field").GetString());
        Assert.Contains("--max-memory", body.GetProperty("error").GetProperty("message").GetString());
        var judge = JudgeBase();
        judge["problem"]!["memory_limit_mb"] = 1L << 19;
        (status, body, _) = await S.PostRawAsync("v1/judge", judge.ToJsonString());
        Assert.Equal(422, status);
        Assert.Equal("problem.memory_limit_mb", body.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task ABodyShorterThanItsContentLengthIsA400()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(S.BaseAddress.Host, S.BaseAddress.Port);
        var stream = client.GetStream();
        var part = """{"code": "print(1)", """;
        var head = $"POST /run_code HTTP/1.1\r\nHost: {S.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {part.Length + 40}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + part));
        // The client then waits for an answer, as curl does: the server gives up on the missing bytes (Kestrel's
        // minimum body data rate) and must say the request was at fault.
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cts.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException) { /* the server may reset the connection after answering */ }
        var response = Encoding.UTF8.GetString(received.ToArray());
        Assert.Matches(@"^HTTP/1\.1 4\d\d ", response);
        Assert.Contains("\"field\":\"body\"", response);
    }
}
