using Crucible.Agent.Repository.Editing;
using Crucible.Agent.Repository.Map;
using Crucible.Agent.Tests.Fakes;

namespace Crucible.Agent.Tests.Repository;

public sealed class EditingTests
{
    private const string Source = "import math\n\n\nclass Shape:\n    def area(self, r):\n        x = r * r\n        return math.pi * x\n\n    def name(self):\n        return 'shape'\n";

    private static async Task<(EditReport Report, string? Text)> ApplyAsync(string answer, string? source = Source, IEditGuard? guard = null)
    {
        using var files = new DirectoryWorkingFiles();
        if (source is not null) files.WriteText("pkg/shape.py", source);
        var report = await new EditApplier(guard).ApplyAsync(files, EditParser.Parse(answer), TestContext.Current.CancellationToken);
        return (report, files.ReadText("pkg/shape.py"));
    }

    private static string Block(string search, string replace, string path = "pkg/shape.py") =>
        $"{path}\n```python\n<<<<<<< SEARCH\n{search}\n=======\n{replace}\n>>>>>>> REPLACE\n```\n";

    [Fact]
    public async Task Exact_search_replace_applies()
    {
        var (report, text) = await ApplyAsync(Block("        return math.pi * x", "        return math.pi * x * 1.0"));
        Assert.True(report.Clean, report.Feedback());
        Assert.Contains("return math.pi * x * 1.0\n", text);
        Assert.Contains("(Exact)", report.Applied.Single());
    }

    [Fact]
    public async Task Lost_leading_whitespace_is_tolerated_and_the_replacement_reindented()
    {
        var (report, text) = await ApplyAsync(Block("x = r * r\nreturn math.pi * x", "y = r ** 2\nreturn math.pi * y"));
        Assert.True(report.Clean, report.Feedback());
        Assert.Contains("        y = r ** 2\n        return math.pi * y\n", text);
        Assert.Contains("LeadingWhitespace", report.Applied.Single());
    }

    [Fact]
    public async Task Spurious_blank_lines_in_the_search_are_tolerated()
    {
        var (report, text) = await ApplyAsync(Block("\n    def name(self):\n\n        return 'shape'\n", "    def name(self):\n        return 'circle'"));
        Assert.True(report.Clean, report.Feedback());
        Assert.Contains("return 'circle'", text);
        Assert.DoesNotContain("'shape'", text);
    }

    [Fact]
    public async Task Elided_search_matches_each_piece_in_order()
    {
        var (report, text) = await ApplyAsync(Block("    def area(self, r):\n...\n        return math.pi * x", "    def area(self, r):\n...\n        return round(math.pi * x, 3)"));
        Assert.True(report.Clean, report.Feedback());
        Assert.Contains("        x = r * r\n        return round(math.pi * x, 3)\n", text);
        Assert.Contains("Elision", report.Applied.Single());
    }

    [Fact]
    public async Task A_search_that_matches_nothing_is_reported_with_the_closest_lines_and_nothing_is_guessed()
    {
        var (report, text) = await ApplyAsync(Block("        return math.tau * x", "        return 2 * x"));
        Assert.False(report.Clean);
        var failure = Assert.Single(report.Failures);
        Assert.Contains("not found", failure);
        Assert.Contains("return math.pi * x", failure); // the closest line is shown
        Assert.Equal(Source, text);
        Assert.Contains("SEARCH text must copy", report.Feedback());
    }

    [Fact]
    public async Task Unified_diff_hunks_are_matched_by_content_ignoring_wrong_line_numbers()
    {
        const string diff = "```diff\n--- a/pkg/shape.py\n+++ b/pkg/shape.py\n@@ -90,3 +90,3 @@ class Shape:\n     def name(self):\n-        return 'shape'\n+        return 'square'\n```\n";
        var (report, text) = await ApplyAsync(diff);
        Assert.True(report.Clean, report.Feedback());
        Assert.Contains("return 'square'", text);
    }

    [Fact]
    public async Task New_files_are_created_from_an_empty_search_or_a_dev_null_diff()
    {
        using var files = new DirectoryWorkingFiles();
        var answer = "pkg/new.py\n<<<<<<< SEARCH\n=======\nVALUE = 1\n>>>>>>> REPLACE\n--- /dev/null\n+++ b/pkg/other.py\n@@ -0,0 +1,1 @@\n+OTHER = 2\n";
        var report = await new EditApplier().ApplyAsync(files, EditParser.Parse(answer), TestContext.Current.CancellationToken);
        Assert.True(report.Clean, report.Feedback());
        Assert.Equal("VALUE = 1\n", files.ReadText("pkg/new.py"));
        Assert.Equal("OTHER = 2\n", files.ReadText("pkg/other.py"));
    }

    [Theory]
    [InlineData("../outside.py", "outside the repository")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("pkg/../../x.py", "outside the repository")]
    [InlineData(".git/config", ".git")]
    public async Task Paths_outside_the_working_tree_are_refused(string path, string reason)
    {
        using var files = new DirectoryWorkingFiles();
        var report = await new EditApplier().ApplyAsync(files, EditParser.Parse(Block("", "evil = 1", path)), TestContext.Current.CancellationToken);
        Assert.Contains(reason, Assert.Single(report.Failures));
        Assert.Empty(report.ChangedFiles);
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(files.Root, path))) && !path.StartsWith('/'));
    }

    [Fact]
    public async Task Edits_through_a_symlink_are_refused()
    {
        using var files = new DirectoryWorkingFiles();
        using var outside = new DirectoryWorkingFiles();
        outside.WriteText("target.py", "x = 1\n");
        File.CreateSymbolicLink(Path.Combine(files.Root, "link"), outside.Root);
        File.CreateSymbolicLink(Path.Combine(files.Root, "file.py"), Path.Combine(outside.Root, "target.py"));
        var report = await new EditApplier().ApplyAsync(files, EditParser.Parse(Block("x = 1", "x = 2", "link/target.py") + Block("x = 1", "x = 2", "file.py")), TestContext.Current.CancellationToken);
        Assert.Equal(2, report.Failures.Count);
        Assert.All(report.Failures, f => Assert.Contains("symbolic link", f));
        Assert.Equal("x = 1\n", outside.ReadText("target.py"));
    }

    [Fact]
    public async Task The_lint_guard_refuses_a_syntax_error_and_rolls_back_every_edit_of_the_answer()
    {
        Assert.SkipUnless(PythonHelper.IsAvailable, "/usr/bin/python3 is not installed");
        var answer = Block("    def name(self):", "    def name(self)") + Block("import math", "import math, os");
        var (report, text) = await ApplyAsync(answer, guard: new SyntaxGuard());
        Assert.Contains("breaks the syntax at line 9", Assert.Single(report.Refusals));
        Assert.Equal(Source, text); // the valid first edit was rolled back with the broken one
        Assert.Contains("NOT applied", report.Feedback());
    }

    [Fact]
    public async Task The_lint_guard_refuses_new_undefined_names_but_not_ones_the_file_already_had()
    {
        Assert.SkipUnless(PythonHelper.IsAvailable, "/usr/bin/python3 is not installed");
        var (refused, _) = await ApplyAsync(Block("        return math.pi * x", "        return helper(x)"), guard: new SyntaxGuard());
        Assert.Contains("undefined name 'helper'", Assert.Single(refused.Refusals));

        var legacy = Source + "\ndef old():\n    return missing_name\n";
        var (accepted, text) = await ApplyAsync(Block("        return 'shape'", "        return 'circle'"), legacy, new SyntaxGuard());
        Assert.True(accepted.Clean, accepted.Feedback());
        Assert.Contains("'circle'", text);
    }

    [Fact]
    public void Parser_reports_blocks_it_cannot_read()
    {
        var parsed = EditParser.Parse("pkg/a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n");
        Assert.True(parsed.IsEmpty);
        Assert.Contains("cut off", Assert.Single(parsed.Problems));
        var noPath = EditParser.Parse("<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n");
        Assert.Contains("names no file", Assert.Single(noPath.Problems));
    }

    [Fact]
    public void Parser_takes_the_path_from_bold_or_fence_headers_and_ignores_reasoning()
    {
        var parsed = EditParser.Parse("<think>src/wrong.py\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE</think>\n**src/right.py**\n```python\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```");
        Assert.Equal("src/right.py", Assert.Single(parsed.Edits).Path);
    }
}
