using System.Text;
using System.Text.Json;

namespace Crucible.Server.Tests;

/// <summary>
/// /run_code against SandboxFusion's documented contract: request fields and defaults (RunCodeRequest), response
/// shape (RunCodeResponse / CommandRunResult), status strings, and the status rules clients such as verl rely on.
/// Requests are written as raw JSON, the way those clients send them.
/// </summary>
[Collection("server")]
public sealed class RunCodeContractTests(ServerFixture fx)
{
    private TestServer S => fx.Server;

    [Fact]
    public async Task DocumentedExampleAnswersEveryResponseField()
    {
        var (status, body, _) = await S.PostRawAsync("run_code", """{"code": "print(\"hello\")", "language": "python"}""");
        Assert.Equal(200, status);
        Assert.Equal("Success", body.GetProperty("status").GetString());
        Assert.Equal("", body.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("compile_result").ValueKind);
        Assert.True(body.TryGetProperty("executor_pod_name", out _));
        Assert.Equal(JsonValueKind.Object, body.GetProperty("files").ValueKind);
        var run = body.GetProperty("run_result");
        Assert.Equal("Finished", run.GetProperty("status").GetString());
        Assert.Equal(0, run.GetProperty("return_code").GetInt32());
        Assert.Equal("hello\n", run.GetProperty("stdout").GetString());
        Assert.Equal("", run.GetProperty("stderr").GetString());
        Assert.True(run.GetProperty("execution_time").GetDouble() > 0);
    }

    [Fact]
    public async Task VerlShapedRequestIsReadAsVerlReadsIt()
    {
        // The exact payload verl's sandbox_fusion client sends (integer timeouts, memory_limit_MB, empty files).
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["compile_timeout"] = 10, ["run_timeout"] = 10, ["code"] = "a, b = map(int, input().split())\nprint(a + b)",
            ["stdin"] = "2 40\n", ["memory_limit_MB"] = 1024, ["language"] = "python", ["files"] = new { }, ["fetch_files"] = Array.Empty<string>(),
        });
        var (status, body, _) = await S.PostRawAsync("run_code", payload);
        Assert.Equal(200, status);
        // verl: api status Success and run status Finished, then stdout compared after stripping trailing newlines.
        Assert.Equal("Success", body.GetProperty("status").GetString());
        Assert.Equal("Finished", body.GetProperty("run_result").GetProperty("status").GetString());
        Assert.Equal("42", body.GetProperty("run_result").GetProperty("stdout").GetString()!.TrimEnd('\n'));
    }

    [Fact]
    public async Task CompileErrorIsFailedWithCompileResultAndNoRun()
    {
        var (status, body, _) = await S.PostRawAsync("run_code", """{"code": "int main() { return undeclared; }", "language": "cpp"}""");
        Assert.Equal(200, status);
        Assert.Equal("Failed", body.GetProperty("status").GetString());
        var compile = body.GetProperty("compile_result");
        Assert.Equal("Finished", compile.GetProperty("status").GetString());
        Assert.NotEqual(0, compile.GetProperty("return_code").GetInt32());
        Assert.Contains("undeclared", compile.GetProperty("stderr").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("run_result").ValueKind);
    }

    [Fact]
    public async Task CompiledProgramReportsBothResults()
    {
        var code = "#include <cstdio>\nint main(){long a,b;if(scanf(\"%ld %ld\",&a,&b)!=2)return 2;printf(\"%ld\\n\",a*b);}";
        var (status, body, _) = await S.PostRawAsync("run_code", JsonSerializer.Serialize(new { code, language = "cpp", stdin = "6 7" }));
        Assert.Equal(200, status);
        Assert.Equal("Success", body.GetProperty("status").GetString());
        Assert.Equal(0, body.GetProperty("compile_result").GetProperty("return_code").GetInt32());
        Assert.Equal("42\n", body.GetProperty("run_result").GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task NonZeroExitIsFailedFinishedWithItsReturnCode()
    {
        var (_, body, _) = await S.PostRawAsync("run_code", """{"code": "import sys\nsys.stderr.write('bad')\nsys.exit(3)", "language": "python"}""");
        Assert.Equal("Failed", body.GetProperty("status").GetString());
        Assert.Equal("", body.GetProperty("message").GetString());
        var run = body.GetProperty("run_result");
        Assert.Equal("Finished", run.GetProperty("status").GetString());
        Assert.Equal(3, run.GetProperty("return_code").GetInt32());
        Assert.Equal("bad", run.GetProperty("stderr").GetString());
    }

    [Fact]
    public async Task TimeLimitIsFailedTimeLimitExceededWithoutReturnCode()
    {
        var (_, body, _) = await S.PostRawAsync("run_code", """{"code": "while True: pass", "language": "python", "run_timeout": 1}""");
        Assert.True(body.GetProperty("status").GetString() == "Failed", body.GetRawText()); // the whole answer says why if not
        var run = body.GetProperty("run_result");
        Assert.Equal("TimeLimitExceeded", run.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("return_code").ValueKind);
    }

    [Fact]
    public async Task MemoryLimitIsFailedWithNonZeroReturnCode()
    {
        var (_, body, _) = await S.PostRawAsync("run_code",
            """{"code": "x = bytearray(400 * 1024 * 1024)\nprint(len(x))", "language": "python", "memory_limit_MB": 64}""");
        Assert.Equal("Failed", body.GetProperty("status").GetString());
        var run = body.GetProperty("run_result");
        Assert.Equal("Finished", run.GetProperty("status").GetString());
        Assert.NotEqual(0, run.GetProperty("return_code").GetInt32());
        Assert.Equal("", run.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task FilesAreBase64InAndOut()
    {
        var input = Convert.ToBase64String(Encoding.UTF8.GetBytes("3\n4\n"));
        var code = "nums = [int(l) for l in open('data/in.txt')]\nopen('out.txt', 'w').write(str(sum(nums)))";
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["code"] = code, ["language"] = "python",
            ["files"] = new Dictionary<string, string?> { ["data/in.txt"] = input, ["ignored.txt"] = null },
            ["fetch_files"] = new[] { "out.txt", "missing.txt" },
        });
        var (status, body, _) = await S.PostRawAsync("run_code", payload);
        Assert.Equal(200, status);
        Assert.Equal("Success", body.GetProperty("status").GetString());
        var files = body.GetProperty("files");
        Assert.Equal("7", Encoding.UTF8.GetString(Convert.FromBase64String(files.GetProperty("out.txt").GetString()!)));
        Assert.False(files.TryGetProperty("missing.txt", out _));
    }

    [Theory]
    [InlineData("nodejs", "console.log(6 * 7)")]
    [InlineData("bash", "echo $((6 * 7))")]
    [InlineData("python", "print(6 * 7)")]
    public async Task SandboxFusionLanguageNamesAreAccepted(string language, string code)
    {
        var (status, body, _) = await S.PostRawAsync("run_code", JsonSerializer.Serialize(new { code, language }));
        Assert.Equal(200, status);
        Assert.Equal("42\n", body.GetProperty("run_result").GetProperty("stdout").GetString());
    }

    [Theory]
    [InlineData("""{"language": "python"}""", 422, "code")]
    [InlineData("""{"code": "print(1)"}""", 422, "language")]
    [InlineData("""{"code": "print(1)", "language": "go"}""", 422, "language")]
    [InlineData("""{"code": "print(1)", "language": "python", "run_timeout": -1}""", 422, "run_timeout")]
    [InlineData("""{"code": "print(1)", "language": "python", "run_timeout": "ten"}""", 422, "run_timeout")]
    [InlineData("""{"code": "print(1)", "language": "python", "compile_timeout": 0}""", 422, "compile_timeout")]
    [InlineData("""{"code": "print(1)", "language": "python", "memory_limit_MB": 2}""", 422, "memory_limit_MB")]
    [InlineData("""{"code": "print(1)", "language": "python", "files": {"a.txt": "%%%"}}""", 422, "files[\"a.txt\"]")]
    [InlineData("""{"code": "print(1)", "language": "python", "files": {"../escape": "YQ=="}}""", 422, "files[\"../escape\"]")]
    [InlineData("""{"code": "print(1)", "language": "python", "fetch_files": ["/etc/passwd"]}""", 422, "fetch_files[0]")]
    [InlineData("""{"code": "print(1)", "language": "python", "files": []}""", 422, "files")]
    [InlineData("""{"code": "print(1)", "language": """, 400, "language")]
    [InlineData("""{"code": "print(1)" "language": "python"}""", 400, "body")]
    [InlineData("null", 422, "body")]
    public async Task BadRequestsNameTheField(string json, int expectedStatus, string field)
    {
        var (status, body, _) = await S.PostRawAsync("run_code", json);
        Assert.Equal(expectedStatus, status);
        var error = body.GetProperty("error");
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        // FastAPI's validation shape, for SandboxFusion clients that read it.
        var loc = body.GetProperty("detail")[0].GetProperty("loc");
        Assert.Equal("body", loc[0].GetString());
    }
}
