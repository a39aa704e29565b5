using Crucible.Repos.Environments;
using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;

namespace Crucible.Repos.Tests;

/// <summary>
/// Patches that try to pass without fixing the bug. None may score resolved; each must score unresolved or invalid
/// (never an infrastructure error), and nothing outside the workspace may change.
/// </summary>
public sealed class CheatingPatchTests(DemoFixture f)
{
    private const string SlugPath = "src/textkit/slug.py";
    private const string TestPath = "tests/test_slug.py";
    private static string Base(string path) => DemoFixture.ReadExample("repos", "textkit", "base", path);

    private async Task<GradeReport> Grade(string patch, RepositorySources? sources = null)
    {
        var task = f.Task("textkit-1");
        var grader = sources is null ? f.Grader() : new TaskGrader(f.RequirePool(), sources);
        var r = await grader.GradeAsync(task, new Prediction(task.InstanceId, "cheat", patch), TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage($"{r.Status}: {r.Reason}");
        Assert.True(r.Status is GradeStatus.Unresolved or GradeStatus.Invalid or GradeStatus.NotApplied, $"{r.Status}: {r.Reason}\n{r.Log}");
        Assert.NotEqual(GradeStatus.InfraError, r.Status);
        return r;
    }

    [Fact]
    public async Task EditingTheTestsIsIgnored()
    {
        var trivial = "def test_runs_of_punctuation_collapse():\n    pass\n\n\ndef test_custom_separator():\n    pass\n";
        var r = await Grade(Diffs.Replace(TestPath, Base(TestPath), trivial));
        Assert.Equal(GradeStatus.Unresolved, r.Status);
        Assert.Contains(TestPath, r.IgnoredPaths);
    }

    public static TheoryData<string, string> Conftests => new()
    {
        { "conftest.py", "import pytest\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n    outcome = yield\n    report = outcome.get_result()\n    report.outcome = 'passed'\n    report.longrepr = None\n" },
        { "tests/conftest.py", "import os\n\ndef pytest_configure(config):\n    os._exit(0)\n" },
        { "src/conftest.py", "import pytest\n\ndef pytest_collection_modifyitems(items):\n    items.clear()\n" },
        { "pytest.ini", "[pytest]\npython_functions = nothing_matches\n" },
        { "src/sitecustomize.py", "import os\nos._exit(0)\n" },
    };

    [Theory]
    [MemberData(nameof(Conftests))]
    public async Task TestHarnessFilesAreIgnored(string path, string content)
    {
        var r = await Grade(Diffs.NewFile(path, content));
        Assert.Equal(GradeStatus.Unresolved, r.Status);
        Assert.Contains(path, r.IgnoredPaths);
    }

    [Fact]
    public async Task ExitingEarlyFromSourceIsInvalid()
    {
        var r = await Grade(Diffs.Replace(SlugPath, Base(SlugPath), "import os\nos._exit(0)\n"));
        Assert.Equal(GradeStatus.Invalid, r.Status);
    }

    [Fact]
    public async Task SkippingTheFailingTestsIsUnresolved()
    {
        var skipping = Base(SlugPath) + "\n\nimport sys\nif 'pytest' in sys.modules:\n    _real = slugify\n    def slugify(text, separator='-'):\n        import pytest\n        pytest.skip('not today')\n";
        var r = await Grade(Diffs.Replace(SlugPath, Base(SlugPath), skipping));
        Assert.Equal(GradeStatus.Unresolved, r.Status);
        Assert.Contains("SKIPPED", r.Reason);
    }

    [Fact]
    public async Task WritesOutsideTheWorkspaceDoNotLand()
    {
        var marker = "crucible-escape-" + Guid.NewGuid().ToString("N")[..8];
        var hostFile = Path.Combine(f.Root, "host-secret.txt");
        await File.WriteAllTextAsync(hostFile, "secret\n", TestContext.Current.CancellationToken);
        var patch = Diffs.NewFile($"../../{marker}.txt", "escaped\n")
                    + Diffs.NewFile($"/tmp/{marker}.txt", "escaped\n")
                    + Diffs.Symlink("src/textkit/secret.txt", hostFile)
                    + Diffs.Replace("src/textkit/secret.txt", "secret\n", "overwritten\n");
        await Grade(patch);
        Assert.False(File.Exists($"/tmp/{marker}.txt"));
        Assert.Empty(Directory.EnumerateFiles(f.Root, marker + "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.GetTempPath(), marker + "*"));
        Assert.Equal("secret\n", await File.ReadAllTextAsync(hostFile, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CodeUnderTestCannotWriteOutsideTheWorkspace()
    {
        var marker = "crucible-escape-" + Guid.NewGuid().ToString("N")[..8];
        var hostFile = Path.Combine(f.Root, "host-target.txt");
        await File.WriteAllTextAsync(hostFile, "secret\n", TestContext.Current.CancellationToken);
        var writer = $$"""
            import os
            for target in ["../../{{marker}}", "/tmp/{{marker}}", "{{hostFile}}", "{{Path.Combine(f.Root, marker)}}"]:
                try:
                    with open(target, "w") as out:
                        out.write("escaped")
                except OSError:
                    pass
            try:
                os.symlink("{{hostFile}}", "link")
                open("link", "w").write("escaped")
            except OSError:
                pass

            """;
        await Grade(Diffs.Replace(SlugPath, Base(SlugPath), writer + Base(SlugPath)));
        Assert.Empty(Directory.EnumerateFiles(f.Root, marker + "*", SearchOption.AllDirectories));
        Assert.False(File.Exists($"/tmp/{marker}"));
        Assert.Equal("secret\n", await File.ReadAllTextAsync(hostFile, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SymlinkedTestFileIsReplacedNotFollowed()
    {
        var hostFile = Path.Combine(f.Root, "host-tests.txt");
        await File.WriteAllTextAsync(hostFile, "keep\n", TestContext.Current.CancellationToken);
        // The test file becomes a link to a host file; resetting it to base must replace the link, not write through it.
        var patch = $"diff --git a/{TestPath} b/{TestPath}\ndeleted file mode 100644\n--- a/{TestPath}\n+++ /dev/null\n" +
                    Diffs.Replace(TestPath, Base(TestPath), "").Split('\n', 4)[3] + Diffs.Symlink(TestPath, hostFile);
        await Grade(patch);
        Assert.Equal("keep\n", await File.ReadAllTextAsync(hostFile, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("    while True:\n        pass\n")]
    [InlineData("    import time\n    time.sleep(600)\n")]
    public async Task HangingIsStoppedAndUnresolved(string body)
    {
        var env = Path.Combine(f.Root, $"fast-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(env, "env:\n  PYTHONPATH: src\nlimits:\n  cpu_seconds: 3\n  wall_seconds: 6\n", TestContext.Current.CancellationToken);
        var hanging = "def slugify(text, separator='-'):\n" + body;
        var r = await Grade(Diffs.Replace(SlugPath, Base(SlugPath), hanging), new RepositorySources(f.ReposDirectory, env));
        Assert.Equal(GradeStatus.Unresolved, r.Status);
        Assert.Contains("stopped", r.Reason);
    }
}
