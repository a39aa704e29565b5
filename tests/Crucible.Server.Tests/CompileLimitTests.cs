using System.Text.Json;

namespace Crucible.Server.Tests;

/// <summary>SandboxFusion's compile_timeout reaches the compile step; test-framework languages are refused, not run as something else.</summary>
[Collection("server")]
public sealed class CompileLimitTests(ServerFixture fx)
{
    private TestServer S => fx.Server;

    [Fact]
    public async Task CompileTimeoutLimitsTheCompileStep()
    {
        Assert.SkipUnless(S.Server.Pool.Languages.TryGet("cpp", out var cpp) && cpp.Available, "needs a C++ compiler");
        // A fresh source every run (the compile cache must not answer); compiling and linking any C++ takes well over 10 ms.
        var code = $"// {Guid.NewGuid()}\n#include <cstdio>\nint main() {{ std::puts(\"10\"); }}\n";
        var limited = JsonSerializer.Serialize(new { code, language = "cpp", compile_timeout = 0.01 });
        var (status, body, _) = await S.PostRawAsync("run_code", limited);
        Assert.Equal(200, status);
        Assert.Equal("Failed", body.GetProperty("status").GetString());
        Assert.Equal("TimeLimitExceeded", body.GetProperty("compile_result").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("run_result").ValueKind);

        // The same source with a generous compile_timeout compiles and runs: the limit, not the code, failed it.
        var (status2, body2, _) = await S.PostRawAsync("run_code", JsonSerializer.Serialize(new { code, language = "cpp", compile_timeout = 60 }));
        Assert.Equal(200, status2);
        Assert.Equal("Finished", body2.GetProperty("compile_result").GetProperty("status").GetString());
        Assert.Equal("10\n", body2.GetProperty("run_result").GetProperty("stdout").GetString());
    }

    [Theory]
    [InlineData("junit")]
    [InlineData("pytest")]
    [InlineData("jest")]
    [InlineData("go_test")]
    public async Task TestFrameworkLanguagesAreA422UntilSupported(string language)
    {
        var code = "import org.junit.Test; public class T { @Test public void t() {} }";
        var (status, body, _) = await S.PostRawAsync("run_code", JsonSerializer.Serialize(new { code, language }));
        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("language", error.GetProperty("field").GetString());
        Assert.Contains("not supported yet", error.GetProperty("message").GetString());
    }
}
