using System.Text;
using Crucible.Repos.Environments;
using Crucible.Repos.Patching;
using Crucible.Repos.Tasks;
using Crucible.Repos.Testing;

namespace Crucible.Repos.Tests;

/// <summary>Task, prediction, diff and JUnit formats, without a sandbox.</summary>
public sealed class FormatTests(DemoFixture f)
{
    private string Temp(string name, string content)
    {
        var path = Path.Combine(f.Root, Guid.NewGuid().ToString("N")[..6] + "-" + name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void TestListsMayBeListsOrJsonStrings()
    {
        var file = Temp("i.jsonl",
            "{\"instance_id\": \"a-1\", \"repo\": \"a/b\", \"base_commit\": \"c\", \"FAIL_TO_PASS\": \"[\\\"t.py::x[a b]\\\"]\", \"PASS_TO_PASS\": [\"t.py::y\"], \"version\": 1.2}\n");
        var t = Assert.Single(TaskLoader.Load(file));
        Assert.Equal(["t.py::x[a b]"], t.FailToPass);
        Assert.Equal(["t.py::y"], t.PassToPass);
        Assert.Equal("1.2", t.Version);
        Assert.Equal("a__b", t.RepoDirectoryName);
    }

    [Fact]
    public void JsonArrayOfInstancesAndTaskDirectoriesLoad()
    {
        var file = Temp("i.json", "[{\"instance_id\": \"a-1\", \"repo\": \"a/b\", \"base_commit\": \"c\"}, {\"instance_id\": \"a-2\", \"repo\": \"a/b\", \"base_commit\": \"d\"}]");
        Assert.Equal(["a-1", "a-2"], TaskLoader.Load(file).Select(t => t.InstanceId));
        Assert.Equal(5, f.Tasks.Count);
        var t = f.Task("textkit-1");
        Assert.Equal(["tests/test_slug.py"], t.TestFiles);
        Assert.Contains("slugify", t.ProblemStatement);
        Assert.Contains("slug.py", t.HintsText);
        Assert.Contains("tests/test_slug.py::test_runs_of_punctuation_collapse[hello,  world!-hello-world]", t.FailToPass);
    }

    [Fact]
    public void PredictionsInJsonlListAndDictForms()
    {
        var jsonl = Temp("p.jsonl", "{\"instance_id\": \"a\", \"model_name_or_path\": \"m\", \"model_patch\": \"x\"}\n{\"instance_id\": \"b\", \"model_name_or_path\": \"m\", \"model_patch\": null}\n");
        var dict = Temp("p.json", "{\"a\": {\"model_name_or_path\": \"m\", \"model_patch\": \"x\"}, \"b\": {\"instance_id\": \"b\", \"model_patch\": null}}");
        var list = Temp("l.json", "[{\"instance_id\": \"a\", \"model_patch\": \"x\"}]");
        Assert.Equal([("a", "x"), ("b", null)], PredictionLoader.Load(jsonl).Select(p => (p.InstanceId, p.ModelPatch)));
        Assert.Equal([("a", "x"), ("b", null)], PredictionLoader.Load(dict).Select(p => (p.InstanceId, p.ModelPatch)));
        Assert.Equal("a", Assert.Single(PredictionLoader.Load(list)).InstanceId);
    }

    [Fact]
    public void DiffSectionsFollowHunkCounts()
    {
        // The removed line "-- x" reads as "--- x" in the diff: it must not start a new file.
        var patch = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n--- x\n+++ y\n ctx\n" +
                    "--- b.txt\t2024-01-01\n+++ b.txt\t2024-01-02\n@@ -1 +1 @@\n-old\n+new\n" +
                    "diff --git a/old.py b/new.py\nsimilarity index 90%\nrename from old.py\nrename to new.py\n" +
                    "diff --git a/link b/link\nnew file mode 120000\n--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n";
        var files = UnifiedDiff.Parse(patch);
        Assert.Equal(["a.py", "b.txt", "new.py", "link"], files.Select(x => x.Path));
        Assert.Equal(["old.py", "new.py"], files[2].Paths);
        Assert.True(files[3].IsSymlink && files[3].IsNew);
        var kept = UnifiedDiff.Without(patch, x => x.Path == "b.txt");
        Assert.DoesNotContain("+new", kept);
        Assert.Contains("+++ y", kept);
    }

    [Theory]
    [InlineData("tests/test_x.py", "tests.test_x", "test_y[a b]", "tests/test_x.py::test_y[a b]")]
    [InlineData("tests/test_x.py", "tests.test_x.TestA.TestB", "test_y", "tests/test_x.py::TestA::TestB::test_y")]
    [InlineData("test_x.py", "test_x.TestA", "test_y[1.5-x.y]", "test_x.py::TestA::test_y[1.5-x.y]")]
    [InlineData(null, "pkg.TestSuite", "case", "pkg.TestSuite::case")]
    public void JUnitIdsAreRebuiltExactly(string? file, string classname, string name, string expected) =>
        Assert.Equal(expected, JUnitReport.TestId(file, classname, name));

    [Fact]
    public void JUnitStatusesIncludingXfailAndWorstOfDuplicates()
    {
        var xml = """
            <?xml version="1.0"?><testsuites><testsuite name="pytest">
            <testcase classname="t" name="a" file="t.py"/>
            <testcase classname="t" name="b" file="t.py"><failure message="x"/></testcase>
            <testcase classname="t" name="c" file="t.py"><skipped type="pytest.xfail" message="x"/></testcase>
            <testcase classname="t" name="d" file="t.py"><skipped type="pytest.skip" message="x"/></testcase>
            <testcase classname="t" name="e" file="t.py"/>
            <testcase classname="t" name="e" file="t.py"><error message="teardown"/></testcase>
            </testsuite></testsuites>
            """;
        var s = JUnitReport.Parse(Encoding.UTF8.GetBytes(xml));
        Assert.Equal(TestStatus.Passed, s["t.py::a"]);
        Assert.Equal(TestStatus.Failed, s["t.py::b"]);
        Assert.Equal(TestStatus.XFail, s["t.py::c"]);
        Assert.Equal(TestStatus.Skipped, s["t.py::d"]);
        Assert.Equal(TestStatus.Error, s["t.py::e"]);
        Assert.Throws<FormatException>(() => JUnitReport.Parse(Encoding.UTF8.GetBytes("<html/>")));
    }

    [Fact]
    public void GlobsMatchProtectedPaths()
    {
        var g = new PathGlob(RepoEnvironment.Default.Protected);
        Assert.True(g.Matches("conftest.py"));
        Assert.True(g.Matches("a/b/conftest.py"));
        Assert.True(g.Matches("src/x.pth"));
        Assert.True(g.Matches("pkg/__pycache__/m.cpython-311.pyc"));
        Assert.False(g.Matches("src/conftest_helpers.py"));
        Assert.False(g.Matches("src/textkit/slug.py"));
    }
}
