using System.Text.Json;

namespace Crucible.Repos.Tasks;

/// <summary>
/// Reads predictions as SWE-bench writes them: JSONL of <c>{instance_id, model_name_or_path, model_patch}</c>, a JSON
/// list of those, or the dict form <c>{instance_id: {...}}</c>.
/// </summary>
public static class PredictionLoader
{
    public static IReadOnlyList<Prediction> Load(string file)
    {
        if (!File.Exists(file)) throw new RepositoryInputException($"{file}: predictions file not found.");
        var text = File.ReadAllText(file);
        var head = text.TrimStart();
        var result = new List<Prediction>();
        if (head.StartsWith('[') || (head.StartsWith('{') && !LooksLikeJsonl(text)))
        {
            JsonDocument doc;
            try { doc = JsonDocument.Parse(text); }
            catch (JsonException e) { throw new RepositoryInputException($"{file}: not valid JSON ({e.Message}).", e); }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                {
                    var n = 0;
                    foreach (var item in root.EnumerateArray()) result.Add(FromJson(item, $"{file} item {++n}", null));
                }
                else if (root.TryGetProperty("instance_id", out _)) result.Add(FromJson(root, text.Trim().Contains('\n', StringComparison.Ordinal) ? file : $"{file}:1", null));
                else
                    foreach (var p in root.EnumerateObject()) result.Add(FromJson(p.Value, $"{file} key '{p.Name}'", p.Name));
            }
        }
        else
        {
            var lineNo = 0;
            foreach (var line in text.Split('\n'))
            {
                lineNo++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    result.Add(FromJson(doc.RootElement, $"{file}:{lineNo}", null));
                }
                catch (JsonException e) { throw new RepositoryInputException($"{file}:{lineNo}: not a JSON object ({e.Message}).", e); }
            }
        }
        var dup = result.GroupBy(p => p.InstanceId).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new RepositoryInputException($"{file}: {dup.Count()} predictions for instance '{dup.Key}'; give one per task.");
        return result;
    }

    private static bool LooksLikeJsonl(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 && lines.All(l => l.StartsWith('{') && l.EndsWith('}'));
    }

    private static Prediction FromJson(JsonElement e, string origin, string? key)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new RepositoryInputException($"{origin}: expected an object with instance_id, model_name_or_path, model_patch.");
        var id = e.TryGetProperty("instance_id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : key;
        if (string.IsNullOrWhiteSpace(id)) throw new RepositoryInputException($"{origin}: missing 'instance_id'.");
        var model = e.TryGetProperty("model_name_or_path", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "model";
        string? patch = null;
        if (e.TryGetProperty("model_patch", out var p))
        {
            if (p.ValueKind == JsonValueKind.String) patch = p.GetString();
            else if (p.ValueKind != JsonValueKind.Null) throw new RepositoryInputException($"{origin}: 'model_patch' must be a string or null.");
        }
        else throw new RepositoryInputException($"{origin}: missing 'model_patch' (use null for no answer).");
        return new Prediction(id!, model, patch);
    }
}
