using Crucible.Agent.Repository.Map;

namespace Crucible.Agent.Tests.Repository;

public sealed class RepositoryMapTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("crucible-map-test-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("crucible-map-cache-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, true);
        Directory.Delete(_cache, true);
    }

    private void Write(string path, string text)
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private void WriteSample()
    {
        Write("shop/cart.py", "from shop.pricing import apply_discount\n\n\nclass Cart:\n    def __init__(self):\n        self.items = []\n\n    def total(self):\n        return apply_discount(sum(self.items))\n");
        Write("shop/pricing.py", "RATE = 0.1\n\n\n@cached\ndef apply_discount(amount):\n    \"\"\"Discount.\"\"\"\n    if amount > 100:\n        return amount * (1 - RATE)\n    return amount\n");
        Write("shop/util.py", "def helper():\n    return 1\n");
        Write("tests/test_cart.py", "from shop.cart import Cart\n\ndef test_total():\n    assert Cart().total() == 0\n");
        Write("Tools/Report.cs", "namespace Tools;\n\npublic sealed class Report\n{\n    public int Count(string text)\n    {\n        return text.Length;\n    }\n}\n");
        Write("broken.py", "def f(:\n");
        Write(".git/config", "[core]\n");
        Write("node_modules/x/index.js", "module.exports = 1\n");
    }

    [Fact]
    public async Task Definitions_and_references_come_from_the_parsers_and_skeletons_elide_bodies()
    {
        Assert.SkipUnless(PythonHelper.IsAvailable, "/usr/bin/python3 is not installed");
        WriteSample();
        var map = await new RepositoryMapBuilder(new SymbolCache(_cache)).BuildAsync(_root, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(map.Files, f => f.Path.StartsWith(".git", StringComparison.Ordinal) || f.Path.StartsWith("node_modules", StringComparison.Ordinal));
        var pricing = map.SymbolsOf("shop/pricing.py");
        var discount = pricing.Definitions.Single(d => d.Name == "apply_discount");
        Assert.Equal(("function", 4, 5, 9), (discount.Kind, discount.Line, discount.DefLine, discount.EndLine));
        Assert.Contains(pricing.Definitions, d => d.Name == "RATE" && d.Kind == "variable");
        Assert.Contains("Cart.total", map.SymbolsOf("shop/cart.py").Definitions.Select(d => d.QualifiedName));
        Assert.True(map.SymbolsOf("shop/cart.py").References.ContainsKey("apply_discount"));
        Assert.Contains("Report.Count", map.SymbolsOf("Tools/Report.cs").Definitions.Select(d => d.QualifiedName));
        Assert.NotNull(map.SymbolsOf("broken.py").SyntaxError);

        var skeleton = map.Skeleton("shop/pricing.py");
        Assert.Contains("@cached\ndef apply_discount(amount):\n    ...\n", skeleton);
        Assert.DoesNotContain("return amount", skeleton);
        Assert.Contains("public int Count(string text)", map.Skeleton("Tools/Report.cs"));
        Assert.DoesNotContain("text.Length", map.Skeleton("Tools/Report.cs"));
    }

    [Fact]
    public async Task Ranking_follows_what_the_issue_mentions_through_the_reference_graph()
    {
        Assert.SkipUnless(PythonHelper.IsAvailable, "/usr/bin/python3 is not installed");
        WriteSample();
        var map = await new RepositoryMapBuilder(new SymbolCache(_cache)).BuildAsync(_root, TestContext.Current.CancellationToken);
        var ranked = map.Rank("The discount is applied twice when apply_discount is called for large amounts");
        Assert.Equal("shop/pricing.py", ranked[0].Path);
        Assert.True(ranked.First(r => r.Path == "shop/cart.py").Score > ranked.First(r => r.Path == "shop/util.py").Score);
        Assert.Equal("shop/pricing.py", map.ResolvePath("`./shop/pricing.py`:"));
        Assert.Equal("shop/pricing.py", map.ResolvePath("shop.pricing"));
        Assert.Equal("shop/pricing.py", map.ResolvePath("b/shop/pricing.py"));
        Assert.Null(map.ResolvePath("nothere.py"));
        var rendered = map.Render(ranked, 60);
        Assert.StartsWith("shop/pricing.py", rendered);
        Assert.True(rendered.Length <= 60 * 4);
        Assert.Equal("apply_discount", map.SearchDefinitions("discount for large amounts", 1).Single().Definition.Name);
    }

    [Fact]
    public async Task A_second_build_takes_every_file_from_the_cache_and_an_edited_file_is_parsed_again()
    {
        Assert.SkipUnless(PythonHelper.IsAvailable, "/usr/bin/python3 is not installed");
        WriteSample();
        var builder = new RepositoryMapBuilder(new SymbolCache(_cache));
        var cold = await builder.BuildAsync(_root, TestContext.Current.CancellationToken);
        var warm = await builder.BuildAsync(_root, TestContext.Current.CancellationToken);
        Assert.Equal(0, cold.Stats.CacheHits);
        Assert.Equal(cold.Stats.Parsed, warm.Stats.CacheHits);
        Assert.Equal(0, warm.Stats.Parsed);
        Write("shop/util.py", "def helper():\n    return 2\n\ndef more():\n    pass\n");
        var edited = await builder.BuildAsync(_root, TestContext.Current.CancellationToken);
        Assert.Equal(1, edited.Stats.Parsed);
        Assert.Contains("more", edited.SymbolsOf("shop/util.py").Definitions.Select(d => d.Name));
    }

    [Fact]
    public void PageRank_spreads_rank_from_the_personalised_node_along_edges()
    {
        IReadOnlyList<(int, double)>[] edges = [[(1, 1.0)], [(2, 1.0)], []];
        var rank = PageRank.Compute(edges, [1, 0, 0]);
        Assert.True(rank[0] > rank[1] && rank[1] > rank[2] && rank[2] > 0);
        Assert.Equal(1.0, rank.Sum(), 6);
    }
}
