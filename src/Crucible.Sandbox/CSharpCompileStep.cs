using System.Globalization;

namespace Crucible.Sandbox;

/// <summary>
/// The C# compiler as a sandboxed child process: Roslyn in <c>Crucible.Sandbox.CSharpCompile.dll</c>, copied once
/// into the state root (the sandbox never sees the application's own directory) and run with `dotnet exec` under
/// the compile limits, like every other compiler. A source that makes Roslyn use gigabytes now meets the compile
/// memory limit instead of growing the server.
/// </summary>
internal sealed class CSharpCompileStep(string stateRoot)
{
    private const string HostName = "Crucible.Sandbox.CSharpCompile";
    private static readonly string[] Files = [HostName + ".dll", "Microsoft.CodeAnalysis.dll", "Microsoft.CodeAnalysis.CSharp.dll"];
    private readonly Lazy<string> _staged = new(() => Stage(stateRoot));

    /// <summary>Where the sandbox sees the compiler.</summary>
    public const string Inside = "/compiler";

    /// <summary>The host directory to bind read-only at <see cref="Inside"/>.</summary>
    public string Directory => _staged.Value;

    public IReadOnlyList<string> Argv(string dotnet, string sourceFileName) =>
        [dotnet, "exec", "--runtimeconfig", Inside + "/" + HostName + ".runtimeconfig.json", Inside + "/" + HostName + ".dll", "/box/" + sourceFileName, "/box"];

    /// <summary>Copies the compiler next to nothing else, under a name keyed by its build, renamed into place atomically.</summary>
    private static string Stage(string stateRoot)
    {
        var from = AppContext.BaseDirectory;
        var stamp = string.Join("-", Files.Select(f => new FileInfo(Path.Combine(from, f))).Select(f =>
            f.Exists ? f.Length.ToString(CultureInfo.InvariantCulture) + "." + f.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)
                     : throw new SandboxException($"the C# compiler is missing: {f.FullName} (it ships with Crucible.Sandbox; rebuild or republish).")));
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stamp)))[..16];
        var root = Path.Combine(stateRoot, "compilers");
        var dir = Path.Combine(root, "csharp-" + key);
        if (File.Exists(Path.Combine(dir, HostName + ".runtimeconfig.json"))) return dir;
        System.IO.Directory.CreateDirectory(root);
        var tmp = Path.Combine(root, $"tmp-{ProcessStamp.Current}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(tmp);
        foreach (var f in Files) File.Copy(Path.Combine(from, f), Path.Combine(tmp, f));
        var v = Environment.Version;
        File.WriteAllText(Path.Combine(tmp, HostName + ".runtimeconfig.json"),
            "{\"runtimeOptions\":{\"tfm\":\"net" + v.Major + "." + v.Minor + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + v.Major + "." + v.Minor + ".0\"}," +
            "\"configProperties\":{\"System.GC.Concurrent\":false,\"System.Globalization.Invariant\":true,\"System.GC.RetainVM\":false}}}");
        foreach (var p in System.IO.Directory.EnumerateFileSystemEntries(tmp).Append(tmp))
            File.SetUnixFileMode(p, (UnixFileMode)Convert.ToInt32(System.IO.Directory.Exists(p) ? "755" : "644", 8));
        try { System.IO.Directory.Move(tmp, dir); }
        catch (IOException) when (System.IO.Directory.Exists(dir)) { StaleState.Remove(tmp); } // another process staged it first
        return dir;
    }
}
