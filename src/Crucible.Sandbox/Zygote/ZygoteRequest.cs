using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Crucible.Sandbox.Zygote;

/// <summary>
/// One run asked of a zygote, in the form its native loop reads (fork_server.c, "request"): a 16-byte header (run id,
/// cgroup slot) and NUL-terminated fields. The run's set-up happens in C from these fields; a Python run then takes its
/// file and arguments from the same fields.
/// </summary>
internal sealed record ZygoteRequest
{
    public required string Mode { get; init; } // "python", "exec" or "runner"
    public required bool Source { get; init; } // the code descriptor holds the program's source, written to File
    public required string File { get; init; }
    public required uint Uid { get; init; }
    public required long WorkBytes { get; init; }
    public required long TmpBytes { get; init; }
    public int Inodes { get; init; } = 16384;
    public string? Artifact { get; init; } // a compile-cache entry's directory name, bound at /box
    public required IReadOnlyList<(int Resource, long Soft, long Hard)> Rlimits { get; init; }
    public required IReadOnlyList<string> Argv { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    public int Slot { get; init; } = -1;

    /// <summary>
    /// A session's warm runner rather than a run (mode "runner", sent also as header flag 1, which the native loop
    /// reads before the fields): forked as pid 1 of its own namespaces with a network namespace of its own, no slot,
    /// and the session's work dir and its box dir attached.
    /// </summary>
    public bool Runner => Mode == "runner";

    public byte[] Encode(long id)
    {
        var fields = new List<string>
        {
            Mode, Source ? "1" : "0", File, Num(Uid), Num(WorkBytes), Num(TmpBytes), Num(Inodes), Artifact ?? "", Num(Rlimits.Count),
        };
        foreach (var (resource, soft, hard) in Rlimits) fields.AddRange([Num(resource), Num(soft), Num(hard)]);
        fields.Add(Num(Argv.Count));
        fields.AddRange(Argv);
        fields.Add(Num(Args.Count));
        fields.AddRange(Args);
        foreach (var f in fields)
            if (f.Contains('\0')) throw new ArgumentException("a zygote request field cannot hold a NUL character", nameof(fields));
        var body = Encoding.UTF8.GetBytes(string.Join('\0', fields) + "\0");
        var message = new byte[16 + body.Length];
        BinaryPrimitives.WriteInt64LittleEndian(message, id);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(8), Slot);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), Runner ? 1 : 0);
        body.CopyTo(message, 16);
        return message;
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
