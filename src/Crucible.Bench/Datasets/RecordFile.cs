using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Parquet.Serialization;

namespace Crucible.Bench;

/// <summary>
/// Reads the records of a dataset or samples file whatever its container: jsonl (streamed line by line, so a
/// gigabyte LiveCodeBench release is never held as one string), a JSON array or object of records, or parquet —
/// each optionally gzip-compressed. The container is told by magic bytes and the first character, not the extension.
/// Records are produced lazily; errors name the file and line.
/// </summary>
internal static class RecordFile
{
    private static readonly JsonSerializerOptions SerializerOptions = new() { AllowTrailingCommas = true, MaxDepth = 256 };

    /// <param name="path">The file.</param>
    /// <param name="badLine">
    /// When given, a jsonl line that is not a JSON object is reported here (location, reason) and skipped instead of
    /// ending the read, so one malformed row costs one record (crucible curate records it as a drop).
    /// </param>
    public static IEnumerable<DatasetRow> Read(string path, Action<string, string>? badLine = null)
    {
        if (!File.Exists(path)) throw new DatasetException($"File not found: {path}");
        return ReadLazily(path, badLine);
    }

    public static bool IsGzip(ReadOnlySpan<byte> b) => b.Length >= 2 && b[0] == 0x1f && b[1] == 0x8b;

    private static IEnumerable<DatasetRow> ReadLazily(string path, Action<string, string>? badLine)
    {
        var head = new byte[4];
        int got;
        using (var probe = File.OpenRead(path)) got = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (got >= 4 && head.AsSpan().SequenceEqual("PAR1"u8))
        {
            foreach (var row in ReadParquet(path)) yield return row;
            yield break;
        }
        using var file = File.OpenRead(path);
        using Stream content = IsGzip(head.AsSpan(0, got)) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var lineNo = 0;
        string? line;
        // Skip leading blank lines to see how the text starts.
        while ((line = ReadLine(reader, path)) is not null && string.IsNullOrWhiteSpace(line)) lineNo++;
        if (line is null) throw new DatasetException($"{path} is empty.");
        lineNo++;
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith('[') || (trimmed.StartsWith('{') && !ParsesAlone(line)))
        {
            // One JSON document (an array, or a pretty-printed object): it has to be read whole.
            var text = line + "\n" + reader.ReadToEnd();
            foreach (var row in ReadDocument(text, path)) yield return row;
            yield break;
        }
        do
        {
            if (string.IsNullOrWhiteSpace(line)) { }
            else if (badLine is null) yield return ParseLine(line, path, lineNo);
            else if (TryParseLine(line, path, lineNo, badLine) is { } row) yield return row;
            lineNo++;
        }
        while ((line = ReadLine(reader, path)) is not null);
    }

    private static string? ReadLine(StreamReader reader, string path)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException($"{path} starts like gzip but cannot be decompressed ({e.Message}); re-download it or pass the uncompressed file.", e);
        }
    }

    private static bool ParsesAlone(string line)
    {
        try
        {
            using var _ = JsonDocument.Parse(line, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 256 });
            return true;
        }
        catch (JsonException)
        {
            return PythonJsonText.RewriteNonFinite(line) is { } rewritten && rewritten != line && ParsesAlone(rewritten);
        }
    }

    private static DatasetRow? TryParseLine(string line, string path, int lineNo, Action<string, string> badLine)
    {
        try
        {
            return ParseLine(line, path, lineNo);
        }
        catch (DatasetException e)
        {
            badLine($"{path}:{lineNo}", e.Message);
            return null;
        }
    }

    private static DatasetRow ParseLine(string line, string path, int lineNo)
    {
        JsonElement value;
        try
        {
            value = JsonSerializer.Deserialize<JsonElement>(line, SerializerOptions);
        }
        catch (JsonException) when (PythonJsonText.RewriteNonFinite(line) is { } rewritten && ParsesAlone(rewritten))
        {
            value = JsonSerializer.Deserialize<JsonElement>(rewritten, SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new DatasetException($"{path}:{lineNo}: not valid JSON ({e.Message}). Each line must be one JSON object (jsonl); fix or remove that line.", e);
        }
        if (value.ValueKind != JsonValueKind.Object)
            throw new DatasetException($"{path}:{lineNo}: expected a JSON object per line, found {value.ValueKind}.");
        return new DatasetRow(value, $"{path}:{lineNo}");
    }

    private static List<DatasetRow> ReadDocument(string text, string path)
    {
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(text, SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new DatasetException($"{path}: not valid JSON ({e.Message}).", e);
        }
        var rows = new List<DatasetRow>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) throw new DatasetException($"{path}: record [{i}] is {item.ValueKind}, expected a JSON object.");
                rows.Add(new DatasetRow(item, $"{path}[{i}]"));
                i++;
            }
            return rows;
        }
        if (root.ValueKind == JsonValueKind.Object)
        {
            // {"data": [...]} wrappers and {id: record} maps are both common.
            var arrays = root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).ToList();
            if (arrays.Count == 1 && root.EnumerateObject().Count() <= 3 && arrays[0].Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object))
                return ReadDocument(arrays[0].Value.GetRawText(), path);
            foreach (var p in root.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Object)
                    throw new DatasetException($"{path}: a single JSON object must map ids to records or hold one array of records; '{p.Name}' is {p.Value.ValueKind}.");
                rows.Add(new DatasetRow(WithDefaultId(p.Value, p.Name), $"{path}[{p.Name}]"));
            }
            return rows;
        }
        throw new DatasetException($"{path}: expected a JSON array of records, found {root.ValueKind}.");
    }

    private static JsonElement WithDefaultId(JsonElement record, string id)
    {
        if (record.TryGetProperty("task_id", out _) || record.TryGetProperty("id", out _) || record.TryGetProperty("question_id", out _)) return record;
        var dict = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(record.GetRawText())!;
        dict["id"] = JsonSerializer.SerializeToElement(id);
        return JsonSerializer.SerializeToElement(dict);
    }

    private static List<DatasetRow> ReadParquet(string path)
    {
        IList<Dictionary<string, object>> data;
        try
        {
            using var stream = File.OpenRead(path);
            data = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult().Data;
        }
        catch (Exception e)
        {
            throw new DatasetException($"{path}: cannot read parquet ({e.Message}).", e);
        }
        var rows = new List<DatasetRow>(data.Count);
        for (var i = 0; i < data.Count; i++)
            rows.Add(new DatasetRow(JsonSerializer.SerializeToElement(ToJsonTree(data[i])), $"{path} row {i}"));
        return rows;
    }

    /// <summary>Parquet's untyped rows nest dictionaries and lists; flatten them into plain JSON-serializable values.</summary>
    private static object? ToJsonTree(object? value) => value switch
    {
        null => null,
        string or bool or int or long or short or byte or sbyte or uint or ulong or ushort or float or double or decimal => value,
        DateTime dt => dt.ToString("O"),
        DateTimeOffset dto => dto.ToString("O"),
        byte[] b => Encoding.UTF8.GetString(b),
        IDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => ToJsonTree(kv.Value)),
        System.Collections.IDictionary d => d.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => ToJsonTree(d[k])),
        System.Collections.IEnumerable e => e.Cast<object?>().Select(ToJsonTree).ToList(),
        _ => value.ToString(),
    };
}
