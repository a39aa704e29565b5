using System.Collections.Concurrent;
using System.Diagnostics;

namespace Crucible.Sandbox;

/// <summary>
/// The languages Crucible knows and which of them this machine can run. Detection runs each toolchain's
/// version command once; a missing toolchain makes its language unavailable with a reason, never a crash.
/// </summary>
public sealed class LanguageRegistry
{
    private readonly Dictionary<string, Language> _byName = new(StringComparer.OrdinalIgnoreCase);

    private LanguageRegistry(IEnumerable<Language> languages)
    {
        All = languages.ToList();
        foreach (var l in All)
        {
            _byName[l.Id] = l;
            foreach (var a in l.Aliases) _byName.TryAdd(a, l);
        }
    }

    /// <summary>Every known language, available or not.</summary>
    public IReadOnlyList<Language> All { get; }

    /// <summary>Looks a language up by id or alias (SandboxFusion spellings included), case-insensitively.</summary>
    public bool TryGet(string name, out Language language) => _byName.TryGetValue(name.Trim(), out language!);

    /// <summary>The language by name, available on this machine, or a <see cref="SandboxException"/> that says why not.</summary>
    public Language Require(string name)
    {
        if (!TryGet(name, out var lang))
            throw new SandboxException($"Unknown language '{name}'. Known: {string.Join(", ", All.Select(l => l.Id))} (see `crucible languages`).");
        if (!lang.Available)
            throw new SandboxException($"Language '{lang.Id}' is not available on this machine: {lang.UnavailableReason}");
        return lang;
    }

    private static readonly Lazy<LanguageRegistry> Detected = new(() => OnDemand(ProbeCacheDirectory(SandboxOptions.DefaultStateRoot())), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The registry for this machine, made once per process; each toolchain is probed the first time its language is
    /// looked at, not before. A toolchain whose binary is unchanged since a process probed it (<see cref="ProbingOnly"/>'s
    /// key: real path, size, modification time) is not started again: its version is read from the state root's probe
    /// cache. Starting every toolchain (a JVM for javac, rustc, node, the .NET CLI …) cost each new process about a
    /// second of CPU before its first run, and the first process on a machine 6.4 s of wall time on 2 cores (the pool
    /// phase of evalplus-scale's first round), for languages a Python evaluation never runs.
    /// </summary>
    public static LanguageRegistry Default => Detected.Value;

    /// <summary>Every toolchain probed now, nothing remembered or read from the cache (<c>crucible languages</c>).</summary>
    public static LanguageRegistry DetectNow() => Detect(null);

    /// <summary>Where processes using <paramref name="stateRoot"/> remember toolchain probes (<see cref="ProbingOnly"/>, <see cref="Default"/>).</summary>
    public static string ProbeCacheDirectory(string stateRoot) => Path.Combine(stateRoot, "probes");

    /// <summary>
    /// A registry that probes only the named language (one version command instead of one per toolchain), for a
    /// process that runs a single program. The others are listed as not probed. Unknown names probe nothing.
    /// </summary>
    /// <remarks>
    /// With <paramref name="cacheDirectory"/>, a successful probe is remembered under a key of the toolchain binary's
    /// real path, size and modification time, so the next process asks the file system instead of starting the
    /// toolchain; upgrading or replacing the binary changes the key and probes again.
    /// </remarks>
    public static LanguageRegistry ProbingOnly(string name, string? cacheDirectory = null)
    {
        var defs = BuiltInDefinitions();
        var wanted = name.Trim();
        bool Matches(LanguageDefinition d) =>
            string.Equals(d.Id, wanted, StringComparison.OrdinalIgnoreCase) || d.Aliases.Contains(wanted, StringComparer.OrdinalIgnoreCase);
        return new LanguageRegistry(defs.Select(d => Matches(d) ? ProbeCached(d, cacheDirectory) : new Language(d, null, "not probed in this process (it runs another language)", [])));
    }

    private static Language ProbeCached(LanguageDefinition def, string? cacheDirectory)
    {
        var exe = def.VersionCommand[0];
        if (cacheDirectory is null || !File.Exists(exe)) return Probe(def);
        string file;
        try
        {
            var info = new FileInfo(RealPath(def.ProbeIdentity?.Invoke() ?? exe));
            var key = $"{def.Id}\n{string.Join('\0', def.VersionCommand)}\n{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}";
            file = Path.Combine(cacheDirectory, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..32] + ".version");
            if (File.Exists(file) && File.ReadAllText(file) is { Length: > 0 } version) return Found(def, version);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Probe(def);
        }
        var probed = Probe(def);
        if (probed.Available && probed.Version is { Length: > 0 } v)
        {
            try
            {
                Directory.CreateDirectory(cacheDirectory);
                var tmp = file + "." + Environment.ProcessId + ".tmp";
                File.WriteAllText(tmp, v);
                File.Move(tmp, file, overwrite: true); // whole or absent, for a process reading it at the same time
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return probed;
    }

    /// <summary>Every language known, each probed (through the cache) only when first looked at.</summary>
    internal static LanguageRegistry OnDemand(string? cacheDirectory) =>
        new(BuiltInDefinitions().Select(d => new Language(d, () => ProbeCached(d, cacheDirectory))));

    internal static LanguageRegistry Detect(string? cacheDirectory = null)
    {
        var defs = BuiltInDefinitions();
        var results = new ConcurrentDictionary<string, Language>();
        Parallel.ForEach(defs, def => results[def.Id] = ProbeCached(def, cacheDirectory));
        return new LanguageRegistry(defs.Select(d => results[d.Id]));
    }

    private static Language Probe(LanguageDefinition def)
    {
        var exe = def.VersionCommand[0];
        if (!File.Exists(exe))
            return new Language(def, null, $"toolchain '{exe}' not found; install it (see README, `.ci/run` installs the Debian packages).", []);
        try
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in def.VersionCommand.Skip(1)) psi.ArgumentList.Add(a);
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            psi.Environment["DOTNET_NOLOGO"] = "1";
            using var p = Process.Start(psi)!;
            var outTask = p.StandardOutput.ReadToEndAsync();
            var errTask = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(30_000))
            {
                try { p.Kill(true); } catch (InvalidOperationException) { }
                return new Language(def, null, $"'{string.Join(' ', def.VersionCommand)}' did not answer within 30 s.", []);
            }
            var text = (outTask.Result + "\n" + errTask.Result).Trim();
            if (p.ExitCode != 0)
                return new Language(def, null, $"'{string.Join(' ', def.VersionCommand)}' failed with exit code {p.ExitCode}: {FirstLine(text)}", []);
            return Found(def, FirstLine(text));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return new Language(def, null, $"could not start '{exe}': {e.Message}", []);
        }
    }

    // An available toolchain: its version line and the paths it needs bound into the sandbox (found afresh each time,
    // so a cached version never carries stale paths).
    private static Language Found(LanguageDefinition def, string version) => new(def, version, null, def.FindExtraPaths?.Invoke() ?? []);

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return (i < 0 ? s : s[..i]).Trim();
    }

    /// <summary>Resolves a command on the host PATH to its real file, following symlinks (toolchains are run by real path in the sandbox).</summary>
    internal static string? ResolveOnPath(string command, params string[] preferred)
    {
        foreach (var p in preferred)
            if (File.Exists(p)) return RealPath(p);
        var found = FindOnPath(command);
        return found is null ? null : RealPath(found);
    }

    private static string? FindOnPath(string command)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    internal static string RealPath(string path)
    {
        var info = new FileInfo(path);
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName ?? info.FullName;
    }

    private static List<LanguageDefinition> BuiltInDefinitions()
    {
        const string python = "/usr/bin/python3";
        var gcc = ResolveOnPath("gcc", "/usr/bin/gcc") ?? "/usr/bin/gcc";
        var gpp = ResolveOnPath("g++", "/usr/bin/g++") ?? "/usr/bin/g++";
        var javac = ResolveOnPath("javac", "/usr/bin/javac") ?? "/usr/bin/javac";
        var java = ResolveOnPath("java", "/usr/bin/java") ?? "/usr/bin/java";
        var node = ResolveOnPath("node", "/usr/bin/node") ?? "/usr/bin/node";
        var bash = "/bin/bash";
        // Asked (rustc --print sysroot, ~0.1 s of CPU) only when Rust is used or a sandbox root binds its toolchain:
        // a `crucible run hello.py` paid it on every invocation. The version is asked of the command on PATH (under
        // rustup a proxy that dispatches to the selected toolchain); sandboxes run the toolchain's own binary.
        var rustOnPath = FindOnPath("rustc") ?? "/usr/bin/rustc";
        var rustSysroot = new Lazy<string?>(() => RustSysroot(rustOnPath), LazyThreadSafetyMode.ExecutionAndPublication);
        string Rustc() => rustSysroot.Value is { } root ? Path.Combine(root, "bin", "rustc") : "/usr/bin/rustc";
        var dotnet = ResolveOnPath("dotnet", "/usr/bin/dotnet") ?? "/usr/bin/dotnet";

        return
        [
            new LanguageDefinition
            {
                Id = "python", DisplayName = "Python 3", Aliases = ["python3", "py", "py3"],
                VersionCommand = [python, "--version"],
                SourceFileName = _ => "main.py",
                Run = f => [python, "/box/" + f],
                Environment = new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONIOENCODING"] = "utf-8" },
            },
            new LanguageDefinition
            {
                Id = "c", DisplayName = "C (gcc, C17)", Aliases = ["gcc", "c17"],
                VersionCommand = [gcc, "--version"],
                SourceFileName = _ => "main.c",
                Compile = f => [gcc, "-O2", "-std=gnu17", "-pipe", "-o", "/box/main", "/box/" + f, "-lm"],
                Run = _ => ["/box/main"],
            },
            new LanguageDefinition
            {
                Id = "cpp", DisplayName = "C++ (g++, C++17)", Aliases = ["c++", "cpp17", "cxx", "g++"],
                VersionCommand = [gpp, "--version"],
                SourceFileName = _ => "main.cpp",
                Compile = f => [gpp, "-O2", "-std=gnu++17", "-pipe", "-o", "/box/main", "/box/" + f, "-lm"],
                Run = _ => ["/box/main"],
            },
            new LanguageDefinition
            {
                Id = "java", DisplayName = "Java", Aliases = ["java17"],
                VersionCommand = [javac, "-version"],
                SourceFileName = LanguageDefinition.JavaSourceFileName,
                Compile = f => [javac, "-J-Xss16m", "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-encoding", "UTF-8", "-d", "/box", "/box/" + f],
                Run = f => [java, "-XX:+UseSerialGC", "-Xss64m", "-XX:TieredStopAtLevel=1", "-cp", "/box", LanguageDefinition.JavaMainClass(f)],
            },
            new LanguageDefinition
            {
                Id = "javascript", DisplayName = "JavaScript (Node.js)", Aliases = ["js", "nodejs", "node"],
                VersionCommand = [node, "--version"],
                SourceFileName = _ => "main.js",
                Run = f => [node, "--stack-size=65500", "/box/" + f],
            },
            new LanguageDefinition
            {
                Id = "rust", DisplayName = "Rust", Aliases = ["rs"],
                VersionCommand = [rustOnPath, "--version"],
                // The proxy stays the same file when `rustup default` selects another toolchain: the cached probe is
                // keyed by the selected toolchain's own rustc.
                ProbeIdentity = Rustc,
                SourceFileName = _ => "main.rs",
                Compile = f => [Rustc(), "-O", "--edition", "2021", "-C", "linker=/usr/bin/cc", "-o", "/box/main", "/box/" + f],
                Run = _ => ["/box/main"],
                FindExtraPaths = () => rustSysroot.Value is { } root && !root.StartsWith("/usr/", StringComparison.Ordinal) ? [root] : [],
            },
            new LanguageDefinition
            {
                Id = "csharp", DisplayName = "C# (Roslyn, .NET)", Aliases = ["cs", "c#", "dotnet"],
                VersionCommand = [dotnet, "--version"],
                SourceFileName = _ => "main.cs",
                CompilesWithRoslyn = true,
                Run = _ => [dotnet, "/box/main.dll"],
                Environment = new Dictionary<string, string>
                {
                    ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1",
                    ["DOTNET_TieredPGO"] = "0", ["DOTNET_gcServer"] = "0", ["DOTNET_EnableDiagnostics"] = "0",
                },
                FindExtraPaths = () =>
                {
                    var dir = Path.GetDirectoryName(dotnet)!;
                    return dir.StartsWith("/usr/", StringComparison.Ordinal) ? [] : [dir];
                },
            },
            new LanguageDefinition
            {
                Id = "bash", DisplayName = "Bash", Aliases = ["sh", "shell"],
                VersionCommand = [bash, "--version"],
                SourceFileName = _ => "main.sh",
                Run = f => [bash, "/box/" + f],
            },
        ];
    }

    private static string? RustSysroot(string rustc)
    {
        // Not resolved: under rustup, rustc is a proxy that dispatches on its own name.
        if (!File.Exists(rustc)) return null;
        try
        {
            var psi = new ProcessStartInfo(rustc, "--print sysroot") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var s = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(30_000);
            return p.ExitCode == 0 && Directory.Exists(s) ? s : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return null;
        }
    }
}
