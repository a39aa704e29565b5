using System.Globalization;
using Crucible.Sandbox;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Crucible.Repos.Environments;

/// <summary>
/// How a repository's tests are run: the interpreter, environment variables, commands run before the tests and the
/// test command, which must leave JUnit XML at <c>{junit}</c>. Read from YAML (see <see cref="Parse"/>); the defaults
/// fit a plain pytest repository. Nothing here is Python-specific except the defaults: a <c>go test</c> or
/// <c>npm test</c> repository sets its own <see cref="TestCommand"/> with a JUnit reporter.
/// </summary>
public sealed record RepoEnvironment
{
    /// <summary>
    /// The default test command. <c>-o addopts=</c> drops the repository's own pytest options (which often ask for
    /// plugins that are absent); <c>junit_family=xunit1</c> writes each test's file, so ids are rebuilt exactly.
    /// </summary>
    public const string DefaultPytestCommand =
        "{python} -m pytest -p no:cacheprovider -o addopts= -o junit_family=xunit1 --junitxml={junit} -q --rootdir=. {tests}";

    /// <summary>Host interpreter, or a virtualenv directory (its <c>bin/python</c> is used and the venv is bound read-only).</summary>
    public string Interpreter { get; init; } = "/usr/bin/python3";

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Shell commands run in the workspace, in the same sandbox run, before the test command.</summary>
    public IReadOnlyList<string> PreTest { get; init; } = [];

    /// <summary>Shell command; <c>{python}</c>, <c>{junit}</c> and <c>{tests}</c> (quoted test files) are substituted.</summary>
    public string TestCommand { get; init; } = DefaultPytestCommand;

    /// <summary>
    /// Files a candidate patch may not change (glob, <c>**/</c> for any directory): test harness configuration and
    /// start-up hooks through which a patch could rewrite results. Changes to them are dropped before applying.
    /// </summary>
    public IReadOnlyList<string> Protected { get; init; } =
        ["**/conftest.py", "**/pytest.ini", "**/tox.ini", "**/sitecustomize.py", "**/usercustomize.py", "**/*.pth", "**/__pycache__/**", "**/*.pyc"];

    public ResourceLimits Limits { get; init; } = DefaultLimits;

    /// <summary>Which of the test patch's files are handed to the test command (others, e.g. data files, are only applied).</summary>
    public IReadOnlyList<string> TestFileGlobs { get; init; } = ["**/*.py"];

    /// <summary>The test patch's files that the test command runs: matching <see cref="TestFileGlobs"/>, not deleted.</summary>
    public IReadOnlyList<string> RunnableTests(string testPatch)
    {
        var globs = new Patching.PathGlob(TestFileGlobs);
        return Patching.UnifiedDiff.Parse(testPatch).Where(f => !f.IsDeleted && globs.Matches(f.Path)).Select(f => f.Path).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Per-task limits: generous, since a repository's test files take seconds, not milliseconds.</summary>
    public static ResourceLimits DefaultLimits { get; } = new()
    {
        CpuTime = TimeSpan.FromMinutes(5),
        WallTime = TimeSpan.FromMinutes(10),
        MemoryBytes = 4L << 30,
        MaxProcesses = 256,
        MaxOutputBytes = 32L << 20,
        MaxFileBytes = 256L << 20,
        MaxOpenFiles = 1024,
        TmpBytes = 512L << 20,
    };

    public static RepoEnvironment Default { get; } = new();

    /// <summary>Interpreter executable as the sandbox sees it.</summary>
    public string PythonExecutable =>
        Directory.Exists(Interpreter) ? Path.Combine(Interpreter, "bin", "python") : Interpreter;

    /// <summary>Host paths the sandbox must see read-only: a virtualenv and the interpreter it was made from.</summary>
    public IReadOnlyList<string> ReadOnlyPaths
    {
        get
        {
            if (Interpreter.StartsWith("/usr/", StringComparison.Ordinal)) return [];
            var paths = new List<string>();
            var venv = Directory.Exists(Interpreter) ? Interpreter : Path.GetDirectoryName(Path.GetDirectoryName(Interpreter));
            if (venv is not null && venv != "/" && !venv.StartsWith("/usr", StringComparison.Ordinal)) paths.Add(venv);
            var cfg = venv is null ? null : Path.Combine(venv, "pyvenv.cfg");
            if (cfg is not null && File.Exists(cfg))
                foreach (var line in File.ReadLines(cfg))
                {
                    var kv = line.Split('=', 2, StringSplitOptions.TrimEntries);
                    if (kv.Length == 2 && kv[0] == "home" && Path.GetDirectoryName(kv[1]) is { } prefix && !prefix.StartsWith("/usr", StringComparison.Ordinal))
                        paths.Add(prefix);
                }
            return paths;
        }
    }

    /// <summary>Parses the YAML form; <paramref name="origin"/> names the file in errors.</summary>
    public static RepoEnvironment Parse(string yaml, string origin)
    {
        EnvYaml raw;
        try
        {
            raw = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<EnvYaml>(yaml) ?? new EnvYaml();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new RepositoryInputException($"{origin}: {e.Message} (fields: interpreter, env, pre_test, test_command, test_files, protected, limits{{cpu_seconds, wall_seconds, memory_mb, processes}}).", e);
        }
        var env = Default;
        if (raw.Interpreter is { } i)
        {
            if (!File.Exists(i) && !Directory.Exists(i)) throw new RepositoryInputException($"{origin}: interpreter '{i}' does not exist (give a python executable or a virtualenv directory).");
            env = env with { Interpreter = i };
        }
        if (raw.Env is { } e2) env = env with { Env = e2 };
        if (raw.PreTest is { } p) env = env with { PreTest = p };
        if (raw.TestCommand is { } t)
        {
            if (!t.Contains("{junit}", StringComparison.Ordinal)) throw new RepositoryInputException($"{origin}: test_command must write JUnit XML to {{junit}}.");
            env = env with { TestCommand = t };
        }
        if (raw.Protected is { } pr) env = env with { Protected = pr };
        if (raw.TestFiles is { } tf) env = env with { TestFileGlobs = tf };
        if (raw.Limits is { } l)
        {
            var limits = env.Limits;
            if (l.TryGetValue("cpu_seconds", out var c)) limits = limits with { CpuTime = TimeSpan.FromSeconds(Number(c, "cpu_seconds", origin)) };
            if (l.TryGetValue("wall_seconds", out var w)) limits = limits with { WallTime = TimeSpan.FromSeconds(Number(w, "wall_seconds", origin)) };
            if (l.TryGetValue("memory_mb", out var m)) limits = limits with { MemoryBytes = (long)Number(m, "memory_mb", origin) << 20 };
            if (l.TryGetValue("processes", out var pc)) limits = limits with { MaxProcesses = (int)Number(pc, "processes", origin) };
            try { limits.Validate(); }
            catch (ArgumentException ex) { throw new RepositoryInputException($"{origin}: limits: {ex.Message}", ex); }
            env = env with { Limits = limits };
        }
        return env;
    }

    public static RepoEnvironment Load(string file)
    {
        if (!File.Exists(file)) throw new RepositoryInputException($"{file}: environment spec not found.");
        return Parse(File.ReadAllText(file), file);
    }

    private static double Number(string s, string name, string origin) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : throw new RepositoryInputException($"{origin}: limits.{name} must be a positive number, got '{s}'.");

    private sealed class EnvYaml
    {
        public string? Interpreter { get; set; }
        public Dictionary<string, string>? Env { get; set; }
        public List<string>? PreTest { get; set; }
        public string? TestCommand { get; set; }
        public List<string>? Protected { get; set; }
        public List<string>? TestFiles { get; set; }
        public Dictionary<string, string>? Limits { get; set; }
    }
}
