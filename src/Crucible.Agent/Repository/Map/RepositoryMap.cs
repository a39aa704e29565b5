using System.Text;

namespace Crucible.Agent.Repository.Map;

/// <summary>
/// A repository's files with their definitions and references, ranked for an issue by two signals: personalised
/// PageRank over the graph of files linked by shared identifiers (file A references a name file B defines), with the
/// teleport weighted toward what the issue mentions; and BM25 of the issue's terms over the files. Rendered as
/// skeletons within a token budget.
/// </summary>
public sealed class RepositoryMap
{
    /// <summary>Names defined in more files than this are too generic (<c>__init__</c>, <c>run</c>) to link files.</summary>
    private const int MaxDefinersPerName = 12;

    private readonly Dictionary<string, int> _index;
    private readonly Lazy<IReadOnlyList<IReadOnlyList<(int, double)>>> _edges;
    private readonly Lazy<Dictionary<string, List<int>>> _definers;
    private readonly Lazy<Bm25Index> _fileIndex;
    private readonly Lazy<(Bm25Index Index, List<(int File, SymbolDefinition Def)> Docs)> _functionIndex;

    public RepositoryMap(string root, IReadOnlyList<SourceFile> files, IReadOnlyDictionary<string, FileSymbols> symbols, MapBuildStats stats)
    {
        Root = root;
        Files = files;
        Symbols = symbols;
        Stats = stats;
        _index = files.Select((f, i) => (f.Path, i)).ToDictionary(x => x.Path, x => x.i, StringComparer.Ordinal);
        _definers = new(BuildDefiners);
        _edges = new(BuildEdges);
        _fileIndex = new(() => new Bm25Index(files.Select(f => (IReadOnlyList<string>)CodeTokens.Terms(f.Path + "\n" + f.Text))));
        _functionIndex = new(BuildFunctionIndex);
    }

    public string Root { get; }
    public IReadOnlyList<SourceFile> Files { get; }
    public IReadOnlyDictionary<string, FileSymbols> Symbols { get; }
    public MapBuildStats Stats { get; }

    public SourceFile? Find(string path) => _index.TryGetValue(path, out var i) ? Files[i] : null;

    public FileSymbols SymbolsOf(string path) => Symbols.GetValueOrDefault(path) ?? FileSymbols.Empty;

    /// <summary>
    /// The repository path a model (or an issue) most likely meant by <paramref name="mention"/>: exact, then without
    /// <c>./</c>, <c>a/</c> or <c>b/</c> prefixes or a leading repository name, then a unique path suffix, then a
    /// dotted module name.
    /// </summary>
    public string? ResolvePath(string mention)
    {
        var m = mention.Trim().Trim('`', '"', '\'', '*', ',', ':', ';', '(', ')', '[', ']').Replace('\\', '/');
        if (m.Length == 0) return null;
        if (_index.ContainsKey(m)) return m;
        foreach (var prefix in new[] { "./", "a/", "b/", "/" })
            if (m.StartsWith(prefix, StringComparison.Ordinal) && _index.ContainsKey(m[prefix.Length..])) return m[prefix.Length..];
        var suffix = Files.Where(f => f.Path.EndsWith("/" + m, StringComparison.Ordinal) || m.EndsWith("/" + f.Path, StringComparison.Ordinal)).ToArray();
        if (suffix.Length == 1) return suffix[0].Path;
        if (!m.Contains('/') && m.Contains('.') && !m.EndsWith(".py", StringComparison.Ordinal))
        {
            var asPath = m.Replace('.', '/');
            var module = Files.Where(f => f.Path == asPath + ".py" || f.Path.EndsWith("/" + asPath + ".py", StringComparison.Ordinal)
                                          || f.Path == asPath + "/__init__.py").ToArray();
            if (module.Length == 1) return module[0].Path;
        }
        return null;
    }

    /// <summary>Files ranked for <paramref name="issue"/>, best first. Test files count half: the fix is rarely in a test.</summary>
    public IReadOnlyList<RankedFile> Rank(string issue)
    {
        var n = Files.Count;
        if (n == 0) return [];
        var identifiers = CodeTokens.Identifiers(issue);
        var mentioned = new bool[n];
        var teleport = new double[n];
        for (var i = 0; i < n; i++)
        {
            var f = Files[i];
            var module = Path.ChangeExtension(f.Path, null).Replace('/', '.');
            if (issue.Contains(f.Path, StringComparison.Ordinal) || (module.Contains('.') && issue.Contains(module, StringComparison.Ordinal))
                || (Path.GetFileName(f.Path) is var name && name.Length > 6 && issue.Contains(name, StringComparison.Ordinal)))
            {
                mentioned[i] = true;
                teleport[i] += 5;
            }
        }
        foreach (var id in identifiers)
            if (_definers.Value.TryGetValue(id, out var definers))
                foreach (var d in definers) teleport[d] += 1.0 / definers.Count;

        var pr = PageRank.Compute(_edges.Value, teleport);
        var bm = _fileIndex.Value.Score(CodeTokens.Terms(issue));
        var maxPr = Math.Max(pr.Max(), 1e-12);
        var maxBm = Math.Max(bm.Max(), 1e-12);
        var ranked = new List<RankedFile>(n);
        for (var i = 0; i < n; i++)
        {
            var p = pr[i] / maxPr;
            var b = bm[i] / maxBm;
            var score = 0.5 * p + 0.5 * b + (mentioned[i] ? 1 : 0);
            if (IsTestPath(Files[i].Path)) score *= 0.5;
            if (Files[i].Language == "text") score *= 0.3;
            ranked.Add(new RankedFile(Files[i].Path, score, p, b, mentioned[i]));
        }
        return ranked.OrderByDescending(r => r.Score).ThenBy(r => r.Path, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Definitions ranked by BM25 of <paramref name="issue"/> over each definition's own text.</summary>
    public IReadOnlyList<RankedFunction> SearchDefinitions(string issue, int top)
    {
        var (index, docs) = _functionIndex.Value;
        var scores = index.Score(CodeTokens.Terms(issue));
        return Enumerable.Range(0, docs.Count).Where(i => scores[i] > 0).OrderByDescending(i => scores[i]).Take(top)
            .Select(i => new RankedFunction(Files[docs[i].File].Path, docs[i].Def, scores[i])).ToArray();
    }

    public string Skeleton(string path, bool lineNumbers = false) =>
        Find(path) is { } f ? SkeletonRenderer.Render(f, SymbolsOf(path), lineNumbers) : throw new ArgumentException($"no file '{path}' in the repository map");

    /// <summary>Skeletons of <paramref name="ranked"/> files in order, as many as fit in <paramref name="tokenBudget"/> (4 characters a token).</summary>
    public string Render(IEnumerable<RankedFile> ranked, int tokenBudget)
    {
        var sb = new StringBuilder();
        var budget = tokenBudget * 4L;
        foreach (var r in ranked)
        {
            var skeleton = Skeleton(r.Path);
            if (sb.Length + skeleton.Length + 1 > budget)
            {
                // A file too large to show whole is still named, so the model knows it exists.
                var line = r.Path + "\n⋮\n";
                if (sb.Length + line.Length + 1 > budget) break;
                skeleton = line;
            }
            sb.Append(skeleton).Append('\n');
        }
        return sb.ToString();
    }

    public static bool IsTestPath(string path)
    {
        var name = Path.GetFileName(path);
        return path.StartsWith("tests/", StringComparison.Ordinal) || path.StartsWith("test/", StringComparison.Ordinal)
            || path.Contains("/tests/", StringComparison.Ordinal) || path.Contains("/test/", StringComparison.Ordinal)
            || name.StartsWith("test_", StringComparison.Ordinal) || name.EndsWith("_test.py", StringComparison.Ordinal) || name == "conftest.py";
    }

    private Dictionary<string, List<int>> BuildDefiners()
    {
        var definers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < Files.Count; i++)
            foreach (var name in SymbolsOf(Files[i].Path).Definitions.Select(d => d.Name).Distinct())
            {
                if (!definers.TryGetValue(name, out var list)) definers[name] = list = [];
                list.Add(i);
            }
        return definers;
    }

    private IReadOnlyList<IReadOnlyList<(int, double)>> BuildEdges()
    {
        var definers = _definers.Value;
        var edges = new IReadOnlyList<(int, double)>[Files.Count];
        for (var i = 0; i < Files.Count; i++)
        {
            var weights = new Dictionary<int, double>();
            foreach (var (name, count) in SymbolsOf(Files[i].Path).References)
            {
                if (!definers.TryGetValue(name, out var targets) || targets.Count > MaxDefinersPerName) continue;
                // Private names (_x) link files weakly; sqrt keeps one hot identifier from dominating.
                var w = Math.Sqrt(count) * (name.StartsWith('_') ? 0.1 : 1.0) / targets.Count;
                foreach (var t in targets)
                    if (t != i) weights[t] = weights.GetValueOrDefault(t) + w;
            }
            edges[i] = weights.Select(kv => (kv.Key, kv.Value)).ToArray();
        }
        return edges;
    }

    private (Bm25Index, List<(int, SymbolDefinition)>) BuildFunctionIndex()
    {
        var docs = new List<(int, SymbolDefinition)>();
        var terms = new List<IReadOnlyList<string>>();
        for (var i = 0; i < Files.Count; i++)
        {
            var lines = Files[i].Lines;
            foreach (var d in SymbolsOf(Files[i].Path).Definitions.Where(d => d.Kind is "function" or "method"))
            {
                var body = string.Join('\n', lines.Skip(d.Line - 1).Take(Math.Max(1, d.EndLine - d.Line + 1)));
                docs.Add((i, d));
                terms.Add(CodeTokens.Terms(d.QualifiedName + "\n" + body));
            }
        }
        return (new Bm25Index(terms), docs);
    }
}
