using System.CommandLine;
using Crucible.Sandbox;
using Crucible.Server;
using Spectre.Console;

namespace Crucible.Cli;

/// <summary>
/// <c>crucible serve</c>: the execution service (SandboxFusion-compatible /run_code, /v1/judge, /v1/rewards, probes,
/// metrics). Binds 127.0.0.1 unless told otherwise; stops gracefully on Ctrl+C / SIGTERM. Exit code 0 after a clean
/// stop, 64 on bad options, 10 when the sandbox cannot start.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, comma-separated (default http://127.0.0.1:8080)." };
        var port = new Option<int?>("--port") { Description = "Listen on http://127.0.0.1:PORT (ignored when --urls is given)." };
        var maxInFlight = new Option<int?>("--max-in-flight") { Description = "Work units (run, submission, reward item) executing at once (default 4 × parallel runs)." };
        var queue = new Option<int>("--queue") { Description = "Work units that may wait; beyond in-flight + queue, requests get 429.", DefaultValueFactory = _ => 256 };
        var parallel = new Option<int?>("--parallel-runs") { Description = "Sandbox runs executing at once (default: number of cores + 1)." };
        var timeout = new Option<string>("--request-timeout") { Description = "Longest a request may take, queueing included, e.g. 300s.", DefaultValueFactory = _ => "300s" };
        var drain = new Option<string>("--drain-timeout") { Description = "On shutdown, how long in-flight work may finish before it is interrupted.", DefaultValueFactory = _ => "20s" };
        var unready = new Option<string>("--unready-delay") { Description = "On SIGTERM, how long /ready answers 503 while work is still admitted, so a load balancer stops routing first (e.g. 5s on Kubernetes).", DefaultValueFactory = _ => "0s" };
        var idempotency = new Option<string>("--idempotency-cache") { Description = "Memory for answers replayed to retries with the same Idempotency-Key, e.g. 64m (0: off).", DefaultValueFactory = _ => "64m" };
        var maxBody = new Option<string>("--max-body") { Description = "Largest request body, e.g. 64m.", DefaultValueFactory = _ => "64m" };
        var memory = new Option<string>("--memory") { Description = "Memory for /run_code calls with memory_limit_MB -1.", DefaultValueFactory = _ => "1g" };
        var maxMemory = new Option<string>("--max-memory") { Description = "Most memory one run or test may ask for; larger requests get 422.", DefaultValueFactory = _ => "8g" };
        var tokenFile = new Option<FileInfo?>("--token-file") { Description = "File holding the bearer token clients must send (or set CRUCIBLE_TOKEN). No token: no auth." };
        var busy = new Option<int>("--busy-status") { Description = "Status when the queue is full: 429 (default), or 504 for verl's SandboxFusion client, which retries only 504.", DefaultValueFactory = _ => 429 };
        var state = new Option<string?>("--state") { Description = "Sandbox state directory (sessions, compile cache); default $CRUCIBLE_STATE or /var/lib/crucible." };
        var repos = new Option<DirectoryInfo?>("--repos") { Description = "Directory of local clones (owner__name) that /v1/swe/grade grades repository tasks in." };
        var cacheSize = new Option<string?>("--cache-size") { Description = "Most bytes the compile cache may hold, e.g. 2g; least recently used entries no session holds are evicted past it (default 2g)." };
        var noZygotes = new Option<bool>("--no-zygotes") { Description = "Run single runs the pre-zygote way (a fresh sandbox or a warm runner); for comparison." };
        var cmd = new Command("serve", "Run the execution service: SandboxFusion-compatible /run_code, /v1/judge, /v1/rewards, /health, /ready, /metrics.")
        {
            urls, port, maxInFlight, queue, parallel, timeout, drain, unready, idempotency, maxBody, memory, maxMemory, tokenFile, state, busy, noZygotes, repos, cacheSize,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            ServerOptions options;
            try
            {
                var token = parse.GetValue(tokenFile) is { } tf
                    ? (tf.Exists ? (await File.ReadAllTextAsync(tf.FullName, ct)).Trim() : throw new ArgumentException($"token file not found: {tf.FullName}"))
                    : Environment.GetEnvironmentVariable("CRUCIBLE_TOKEN") is { Length: > 0 } env ? env.Trim() : null;
                var sandbox = new SandboxOptions();
                if (parse.GetValue(state) is { } s) sandbox = sandbox with { StateRoot = s };
                if (parse.GetValue(parallel) is { } p) sandbox = sandbox with { MaxParallelRuns = p };
                if (parse.GetValue(noZygotes)) sandbox = sandbox with { Zygotes = false };
                if (parse.GetValue(cacheSize) is { } cache) sandbox = sandbox with { CompileCacheBudgetBytes = Sizes.ParseBytes(cache) };
                var listen = parse.GetValue(urls) is { } u
                    ? u.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : [$"http://127.0.0.1:{parse.GetValue(port) ?? 8080}"];
                options = new ServerOptions
                {
                    Urls = listen,
                    MaxInFlight = parse.GetValue(maxInFlight),
                    QueueLimit = parse.GetValue(queue),
                    RequestTimeout = Sizes.ParseDuration(parse.GetValue(timeout)!),
                    DrainTimeout = Sizes.ParseDuration(parse.GetValue(drain)!),
                    UnreadyDelay = Sizes.ParseDuration(parse.GetValue(unready)!, allowZero: true),
                    IdempotencyCacheBytes = Sizes.ParseBytes(parse.GetValue(idempotency)!, allowZero: true),
                    MaxRequestBodyBytes = Sizes.ParseBytes(parse.GetValue(maxBody)!),
                    DefaultRunMemoryBytes = Sizes.ParseBytes(parse.GetValue(memory)!),
                    MaxRunMemoryBytes = Sizes.ParseBytes(parse.GetValue(maxMemory)!),
                    BearerToken = token,
                    BusyStatusCode = parse.GetValue(busy),
                    Sandbox = sandbox,
                    ReposDirectory = parse.GetValue(repos)?.FullName,
                };
                options.Validate();
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 64;
            }

            CrucibleServer server;
            try
            {
                server = CrucibleServer.Create(options);
            }
            catch (SandboxException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 10;
            }
            await using (server)
            {
                await server.StartAsync(ct);
                var (inFlight, queued) = server.Capacity;
                AnsiConsole.MarkupLine($"[green]crucible serve[/] listening on {Markup.Escape(string.Join(", ", server.Addresses))}");
                AnsiConsole.MarkupLine($"capacity: {inFlight} in flight + {queued} queued; sandbox: {server.Pool.Options.MaxParallelRuns} parallel runs; auth: {(options.BearerToken is null ? "off" : "bearer token")}");
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(server.Pool.Isolation.ToString())}[/]");
                if (options.BearerToken is null && server.Addresses.Any(a => !a.IsLoopback))
                    AnsiConsole.MarkupLine("[yellow]warning:[/] listening beyond loopback without a token; set --token-file or CRUCIBLE_TOKEN.");
                await server.WaitForShutdownAsync(ct);
                AnsiConsole.MarkupLine("stopped.");
            }
            return 0;
        });
        return cmd;
    }
}
