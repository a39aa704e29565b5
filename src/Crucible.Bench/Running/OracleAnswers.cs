using System.Globalization;
using System.Text;
using System.Text.Json;
using Crucible.Judge;
using Microsoft.Win32.SafeHandles;

namespace Crucible.Bench;

/// <summary>
/// A computed expected output: typed JSON (in memory, or <see cref="Deferred"/> in the cache file when large) and
/// the reference's CPU seconds; or why there is none (<see cref="Error"/>).
/// </summary>
internal sealed record OracleAnswer(string? Out, double Seconds, string? Error = null, DeferredJson? Deferred = null)
{
    public bool HasValue => Out is not null || Deferred is not null;
}

/// <summary>
/// The oracle's cache entries: one line per input, <c>{"t": seconds, "out": value}</c> or <c>{"error": why}</c>,
/// written and read line by line. Read from a file, answers longer than <see cref="DeferFromBytes"/> are not loaded:
/// they become <see cref="DeferredJson"/> over the open file (which survives a concurrent replacement of the entry,
/// since the handle keeps the old file), so an evaluation holds HumanEval+'s ~290 MB of answers on disk, not in memory.
/// </summary>
internal static class OracleAnswers
{
    /// <summary>Answers this long or longer stay in the file (HumanEval+: 73 answers, nearly all of its ~290 MB).</summary>
    public const int DeferFromBytes = 64 * 1024;

    private static readonly byte[] OutProperty = ",\"out\":"u8.ToArray();

    public static void Write(TextWriter w, OracleAnswer?[] answers)
    {
        foreach (var a in answers)
        {
            if (a is null || !a.HasValue)
            {
                w.Write(JsonSerializer.Serialize(new Dictionary<string, string?> { ["error"] = a?.Error ?? "no answer" }));
                w.Write('\n');
                continue;
            }
            w.Write("{\"t\":");
            w.Write(a.Seconds.ToString("R", CultureInfo.InvariantCulture));
            w.Write(",\"out\":");
            if (a.Deferred is BytesJson bytes && w is StreamWriter file)
            {
                file.Flush(); // the bytes as the run wrote them, without a UTF-16 copy
                file.BaseStream.Write(bytes.Span);
            }
            else w.Write(a.Out ?? a.Deferred!.Load());
            w.Write("}\n");
        }
    }

    /// <summary>
    /// A computed answer, <paramref name="value"/> being an element of a document parsed in place over
    /// <paramref name="line"/>: a long one stays the bytes it is in the run's output (no UTF-16 copy of HumanEval/15's
    /// 147 MB of answers while they are written to the cache), a short one becomes text.
    /// </summary>
    public static OracleAnswer FromLine(ReadOnlyMemory<byte> line, JsonElement value, double seconds)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
        var offset = (long)System.Runtime.CompilerServices.Unsafe.ByteOffset(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(line.Span), ref System.Runtime.InteropServices.MemoryMarshal.GetReference(raw));
        // Not parsed in place after all: a copy.
        return offset >= 0 && offset + raw.Length <= line.Length
            ? FromValue(line.Slice((int)offset, raw.Length), seconds)
            : new OracleAnswer(Encoding.UTF8.GetString(raw), seconds);
    }

    /// <summary>An answer whose value is <paramref name="value"/> in a run's output: long ones stay those bytes, short ones become text.</summary>
    private static OracleAnswer FromValue(ReadOnlyMemory<byte> value, double seconds) =>
        value.Length >= DeferFromBytes
            ? new OracleAnswer(null, seconds, null, new BytesJson(value))
            : new OracleAnswer(Encoding.UTF8.GetString(value.Span), seconds);

    /// <summary>
    /// A line the reference driver writes for an answered input, <c>{"i":N,"ok":true,"out":V,"t":S}</c> exactly as it
    /// formats it, read without building a document (one per input cost the host about a microsecond each); the value
    /// is still checked to be one complete JSON value. False for anything else (a failure's line, a line cut short,
    /// another layout): the caller then parses it as a document.
    /// </summary>
    public static bool TryReadDriverLine(ReadOnlyMemory<byte> line, out int index, out OracleAnswer? answer)
    {
        (index, answer) = (0, null);
        var span = line.Span;
        var head = "{\"i\":"u8;
        var ok = ",\"ok\":true,\"out\":"u8;
        var time = ",\"t\":"u8;
        if (!span.StartsWith(head) || span.Length < 2 || span[^1] != (byte)'}') return false;
        if (!System.Buffers.Text.Utf8Parser.TryParse(span[head.Length..], out index, out var digits) || digits == 0 || index < 0) return false;
        var valueStart = head.Length + digits + ok.Length;
        if (!span[(head.Length + digits)..].StartsWith(ok)) return false;
        var timeAt = span.LastIndexOf(time);
        if (timeAt < valueStart) return false;
        var number = span[(timeAt + time.Length)..^1];
        if (!System.Buffers.Text.Utf8Parser.TryParse(number, out double seconds, out var used) || used != number.Length) return false;
        var value = line[valueStart..timeAt];
        if (!IsOneValue(value.Span)) return false;
        answer = FromValue(value, seconds);
        return true;
    }

    /// <summary>True when <paramref name="utf8"/> is exactly one JSON value (no trailing bytes), checked without building a document.</summary>
    internal static bool IsOneValue(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 4096 });
        try
        {
            return reader.Read() && reader.TrySkip() && reader.BytesConsumed == utf8.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Answers from text (the result store's copy); everything in memory.</summary>
    public static OracleAnswer?[] Read(string text)
    {
        var answers = new List<OracleAnswer?>();
        using var lines = new StringReader(text);
        while (lines.ReadLine() is { } line)
            if (line.Length > 0) answers.Add(Parse(Encoding.UTF8.GetBytes(line)));
        return answers.ToArray();
    }

    /// <summary>Answers from a cache file; long ones stay in it (see the class summary). JsonException if damaged.</summary>
    public static OracleAnswer?[] ReadFile(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var answers = ReadLines(handle, path);
            // Nothing deferred: the handle is not needed past this read.
            if (!answers.Any(a => a?.Deferred is not null)) handle.Dispose();
            return answers;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static OracleAnswer?[] ReadLines(SafeFileHandle handle, string path)
    {
        var answers = new List<OracleAnswer?>();
        var chunk = new byte[1 << 20];
        // The current line's first DeferFromBytes + 1 bytes (enough to tell a long line, and to read its prefix).
        var head = new MemoryStream();
        long position = 0, lineStart = 0;
        byte last = 0;
        int read;
        while ((read = RandomAccess.Read(handle, chunk, position)) > 0)
        {
            var span = chunk.AsSpan(0, read);
            var offset = 0;
            while (offset < span.Length)
            {
                var nl = span[offset..].IndexOf((byte)'\n');
                var piece = nl < 0 ? span[offset..] : span.Slice(offset, nl);
                if (head.Length <= DeferFromBytes) head.Write(piece[..Math.Min(piece.Length, DeferFromBytes + 1 - (int)head.Length)]);
                if (piece.Length > 0) last = piece[^1];
                if (nl < 0) break;
                var lineEnd = position + offset + nl;
                if (lineEnd > lineStart)
                    answers.Add(lineEnd - lineStart > DeferFromBytes
                        ? Deferred(handle, head.GetBuffer().AsSpan(0, (int)head.Length), lineStart, lineEnd - lineStart, last)
                        : Parse(head.GetBuffer().AsSpan(0, (int)head.Length)));
                head.SetLength(0);
                lineStart = lineEnd + 1;
                offset += nl + 1;
            }
            position += read;
        }
        if (position > lineStart) throw new JsonException($"{path}: the last line is cut short");
        return answers.ToArray();
    }

    private static OracleAnswer Parse(ReadOnlySpan<byte> line)
    {
        // The layout Write gives a value's line, read without a document when it is exactly that.
        var prefix = "{\"t\":"u8;
        var outAt = line.IndexOf(OutProperty);
        if (line.StartsWith(prefix) && outAt > 0 && outAt <= 64 && line[^1] == (byte)'}'
            && System.Buffers.Text.Utf8Parser.TryParse(line[prefix.Length..outAt], out double t, out var used) && used == outAt - prefix.Length
            && line[(outAt + OutProperty.Length)..^1] is var value && IsOneValue(value))
            return new OracleAnswer(Encoding.UTF8.GetString(value), t);
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4096 });
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        return root.TryGetProperty("error", out var error)
            ? new OracleAnswer(null, 0, error.GetString() ?? "failed")
            : new OracleAnswer(root.GetProperty("out").GetRawText(), root.GetProperty("t").GetDouble());
    }

    /// <summary>A long line as the writer wrote it: <c>{"t":seconds,"out":</c> + value + <c>}</c>.</summary>
    private static OracleAnswer Deferred(SafeFileHandle handle, ReadOnlySpan<byte> head, long lineStart, long lineLength, byte last)
    {
        var prefix = "{\"t\":"u8;
        var outAt = head.IndexOf(OutProperty);
        if (!head.StartsWith(prefix) || outAt < 0 || outAt > 64 || last != (byte)'}')
            throw new JsonException("a long cache line is not in the oracle's own format");
        if (!double.TryParse(Encoding.ASCII.GetString(head[prefix.Length..outAt]), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            throw new JsonException("a long cache line has no readable time");
        var valueStart = outAt + OutProperty.Length;
        return new OracleAnswer(null, seconds, null, new FileJson(handle, lineStart + valueStart, lineLength - valueStart - 1, (char)head[valueStart]));
    }

    /// <summary>One answer's bytes in a run's output.</summary>
    private sealed class BytesJson(ReadOnlyMemory<byte> utf8) : DeferredJson
    {
        public ReadOnlySpan<byte> Span => utf8.Span;

        public override long Utf8Length => utf8.Length;

        public override char First => (char)utf8.Span[0];

        public override byte[] LoadUtf8() => utf8.ToArray();
    }

    /// <summary>One answer's bytes in an open cache file.</summary>
    private sealed class FileJson(SafeFileHandle handle, long offset, long length, char first) : DeferredJson
    {
        public override long Utf8Length => length;

        public override char First => first;

        public override byte[] LoadUtf8()
        {
            var bytes = new byte[length];
            var done = 0;
            while (done < bytes.Length)
            {
                var n = RandomAccess.Read(handle, bytes.AsSpan(done), offset + done);
                if (n == 0) throw new IOException("the oracle's cache file ended before an answer it held");
                done += n;
            }
            return bytes;
        }
    }
}
