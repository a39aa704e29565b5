using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

public abstract class LanguageTests(SandboxFixture fx)
{
    public static TheoryData<string, string, string, string> Programs => new()
    {
        // language, hello world, stdin echo, compile error (null for interpreted: a syntax error is a runtime error)
        { "python", "print('hello')", "import sys\nsys.stdout.write(sys.stdin.read())", "def f(:\n" },
        { "c", "#include <stdio.h>\nint main(){puts(\"hello\");return 0;}", "#include <stdio.h>\nint main(){int c;while((c=getchar())!=EOF)putchar(c);return 0;}", "int main(){ return x; }" },
        { "cpp", "#include <iostream>\nint main(){std::cout<<\"hello\\n\";}", "#include <iostream>\n#include <string>\nint main(){std::string s;while(std::getline(std::cin,s))std::cout<<s<<'\\n';}", "int main(){ undeclared(); }" },
        { "java", "public class Main{public static void main(String[] a){System.out.println(\"hello\");}}", "import java.io.*;public class Main{public static void main(String[] a)throws IOException{System.out.write(System.in.readAllBytes());System.out.flush();}}", "public class Main{public static void main(String[] a){int x = \"s\";}}" },
        { "javascript", "console.log('hello')", "process.stdout.write(require('fs').readFileSync(0))", "function (" },
        { "rust", "fn main(){println!(\"hello\");}", "use std::io::*;fn main(){let mut s=String::new();stdin().read_to_string(&mut s).unwrap();print!(\"{}\",s);}", "fn main(){ let x: i32 = \"s\"; }" },
        { "csharp", "System.Console.WriteLine(\"hello\");", "System.Console.Out.Write(System.Console.In.ReadToEnd());", "class P { static void Main(){ int x = \"s\"; } }" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task HelloWorld(string lang, string hello, string echo, string bad)
    {
        _ = echo; _ = bad;
        fx.RequireLanguage(lang);
        var r = await fx.RunAsync(lang, hello);
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Equal("hello\n", r.Stdout);
        Assert.Equal(0, r.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task StdinEcho(string lang, string hello, string echo, string bad)
    {
        _ = hello; _ = bad;
        fx.RequireLanguage(lang);
        var input = "line one\nzwei ünïcödé\n3 4 5\n";
        var r = await fx.RunAsync(lang, echo, input);
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Equal(input, r.Stdout);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task CompileErrorOrSyntaxError(string lang, string hello, string echo, string bad)
    {
        _ = hello; _ = echo;
        fx.RequireLanguage(lang);
        await using var session = await fx.OpenAsync(new SourceProgram(lang, bad));
        var r = await session.RunAsync(new RunRequest());
        if (session.Language.IsCompiled)
        {
            Assert.Equal(Verdict.CompileError, session.Compile.Verdict);
            Assert.False(string.IsNullOrWhiteSpace(session.Compile.Output));
            Assert.True(r.Verdict == Verdict.CompileError, $"{r.Verdict}: {r.Message} {r.Stderr}");
        }
        else
        {
            Assert.True(r.Verdict == Verdict.RuntimeError, $"{r.Verdict}: {r.Message} {r.Stderr}");
            Assert.Contains("SyntaxError", r.Stderr);
        }
    }

    [Theory]
    [InlineData("python", "raise ValueError('boom')")]
    [InlineData("c", "#include <stdlib.h>\nint main(){abort();}")]
    [InlineData("cpp", "int main(){ int* p = nullptr; *p = 1; return 0; }")]
    [InlineData("java", "public class Main{public static void main(String[] a){throw new RuntimeException(\"boom\");}}")]
    [InlineData("javascript", "throw new Error('boom')")]
    [InlineData("rust", "fn main(){ let v: Vec<i32> = vec![]; println!(\"{}\", v[3]); }")]
    [InlineData("csharp", "throw new System.Exception(\"boom\");")]
    public async Task RuntimeError(string lang, string source)
    {
        fx.RequireLanguage(lang);
        var r = await fx.RunAsync(lang, source);
        Assert.True(r.Verdict == Verdict.RuntimeError, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.True(r.ExitCode is not 0 || r.Signal is not null);
    }

    [Fact]
    public void UnknownLanguageIsAClearError()
    {
        var e = Assert.Throws<SandboxException>(() => fx.Pool.Languages.Require("cobolx"));
        Assert.Contains("Unknown language 'cobolx'", e.Message);
        Assert.Contains("python", e.Message);
    }

    // A program starts with the signal dispositions a plain start gives it, in every mode: Python ignores SIGPIPE and
    // SIGXFSZ and catches SIGINT (a file past its size limit is then an OSError, as under a plain `python3`); a compiled
    // program ignores and catches nothing (the same file kills it with SIGXFSZ). Zygotes and runners are Python
    // processes with handlers of their own: none of them may reach the program.
    [Theory]
    [InlineData("python", "print(''.join(l for l in open('/proc/self/status') if l.startswith(('SigIgn', 'SigCgt'))), end='')",
        "SigIgn:\t0000000001001000\nSigCgt:\t0000000000000002\n")]
    // The interpreter's own table too (what signal.getsignal reports), which a zygote or runner resets without the
    // enum wrapper: what /usr/bin/python3 -c prints for the same line.
    [InlineData("python", "import signal as s\nprint([str(s.getsignal(x)) for x in (s.SIGINT, s.SIGPIPE, s.SIGXFSZ, s.SIGTERM, s.SIGCHLD, s.SIGHUP, s.SIGUSR1, s.SIGALRM)])\n",
        "['<built-in function default_int_handler>', '1', '1', '0', '0', '0', '0', '0']\n")]
    [InlineData("c", "#include <stdio.h>\n#include <string.h>\nint main(){char l[256];FILE*f=fopen(\"/proc/self/status\",\"r\");" +
                     "while(fgets(l,sizeof l,f))if(!strncmp(l,\"SigIgn\",6)||!strncmp(l,\"SigCgt\",6))fputs(l,stdout);return 0;}",
        "SigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\n")]
    public Task A_program_starts_with_the_signal_dispositions_of_a_plain_start(string lang, string source, string expected) =>
        EveryRunPrintsAsync(lang, source, expected);

    [Theory]
    [InlineData("python", "import os\nprint([k for k in os.environ if k.startswith('LD_')], 'PATH' in os.environ)\n", "[] True\n")]
    [InlineData("c", "#include <stdio.h>\n#include <string.h>\nextern char **environ;\nint main(){int path=0;for(char**e=environ;*e;e++){if(!strncmp(*e,\"LD_\",3))printf(\"%s\\n\",*e);if(!strncmp(*e,\"PATH=\",5))path=1;}printf(\"%d\\n\",path);return 0;}", "1\n")]
    public Task A_program_sees_no_loader_variables_of_the_processes_it_was_forked_from(string lang, string source, string expected) =>
        // A zygote binds its symbols at start-up (LD_BIND_NOW, so its children do not resolve them again): the
        // variable must not reach the program, in any mode, nor anything else that changes how the program loads.
        EveryRunPrintsAsync(lang, source, expected);

    /// <summary>Three runs of one session each succeed and print <paramref name="expected"/>: the first run of a
    /// session may take another path than the later ones, and every path must start the program alike.</summary>
    private async Task EveryRunPrintsAsync(string lang, string source, string expected)
    {
        fx.RequireLanguage(lang);
        await using var session = await fx.OpenAsync(new SourceProgram(lang, source));
        for (var run = 0; run < 3; run++)
        {
            var r = await session.RunAsync(RunRequest.WithStdin(""));
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
            Assert.Equal(expected, r.Stdout);
        }
    }

    [Fact]
    public async Task Each_run_gets_fresh_randomness()
    {
        // Runs forked from one preloaded process must not share its random state: the same program twice, two draws.
        await using var session = await fx.OpenAsync(new SourceProgram("python", "import random, os\nprint(random.getrandbits(64), os.urandom(8).hex())\n"));
        var seen = new HashSet<string>();
        for (var run = 0; run < 3; run++)
        {
            var r = await session.RunAsync(RunRequest.WithStdin(""));
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
            foreach (var draw in r.Stdout.Split(' ', StringSplitOptions.TrimEntries)) Assert.True(seen.Add(draw), $"run {run} drew {draw} again");
        }
    }

    [Fact]
    public void SandboxFusionNamesResolve()
    {
        Assert.Equal("javascript", fx.Pool.Languages.Require("nodejs").Id);
        Assert.Equal("cpp", fx.Pool.Languages.Require("cpp").Id);
        Assert.Equal("python", fx.Pool.Languages.Require("python").Id);
        Assert.Equal("csharp", fx.Pool.Languages.Require("csharp").Id);
    }
}

[Collection("cold")]
public sealed class ColdLanguageTests(ColdSandboxFixture fx) : LanguageTests(fx);

[Collection("warm")]
public sealed class WarmLanguageTests(WarmSandboxFixture fx) : LanguageTests(fx);

[Collection("zygote")]
public sealed class ZygoteLanguageTests(ZygoteSandboxFixture fx) : LanguageTests(fx);

[Collection("zygote-runner")]
public sealed class ZygoteRunnerLanguageTests(ZygoteRunnerSandboxFixture fx) : LanguageTests(fx);
