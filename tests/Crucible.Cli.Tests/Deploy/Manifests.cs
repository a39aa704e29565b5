using YamlDotNet.RepresentationModel;

namespace Crucible.Cli.Tests.Deploy;

/// <summary>The Kubernetes manifests under deploy/kubernetes, parsed with YamlDotNet, with small path accessors.</summary>
internal sealed class Manifests
{
    private Manifests(string root, List<YamlMappingNode> documents)
    {
        Root = root;
        Documents = documents;
    }

    public static string Repo([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    public string Root { get; }
    public List<YamlMappingNode> Documents { get; }

    public static Manifests Load()
    {
        var root = Path.Combine(Repo(), "deploy");
        var docs = new List<YamlMappingNode>();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "kubernetes"), "*.yaml").Order())
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file)) stream.Load(reader);
            docs.AddRange(stream.Documents.Select(d => (YamlMappingNode)d.RootNode));
        }
        return new Manifests(root, docs);
    }

    public YamlMappingNode Kind(string kind, string? name = null) =>
        Documents.Single(d => Text(d, "kind") == kind && (name is null || Text(d, "metadata", "name") == name));

    /// <summary>The node at a path of mapping keys and sequence indexes ("0"), or null.</summary>
    public static YamlNode? At(YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var step in path)
        {
            current = current switch
            {
                YamlMappingNode m => m.Children.TryGetValue(new YamlScalarNode(step), out var next) ? next : null,
                YamlSequenceNode s when int.TryParse(step, out var i) && i < s.Children.Count => s.Children[i],
                _ => null,
            };
            if (current is null) return null;
        }
        return current;
    }

    public static string? Text(YamlNode node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    public static List<string> List(YamlNode node, params string[] path) =>
        (At(node, path) as YamlSequenceNode)?.Children.Select(c => ((YamlScalarNode)c).Value!).ToList() ?? [];

    public static Dictionary<string, string> Map(YamlNode node, params string[] path) =>
        (At(node, path) as YamlMappingNode)?.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (kv.Value as YamlScalarNode)?.Value ?? "") ?? [];
}
