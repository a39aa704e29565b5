using System.Net;
using System.Text;
using System.Text.Json;
using Crucible.Client;

namespace Crucible.Server.Tests;

/// <summary>CrucibleClient over several replicas: idempotency keys across retries, weighing by reported load, draining replicas.</summary>
public sealed class ClientAcrossReplicasTests
{
    private static readonly RunCodeRequest Hello = new() { Code = "print(1)", Language = "python" };

    private static CrucibleClient Client(HttpMessageHandler handler, params string[] servers) => new(new CrucibleClientOptions
    {
        Servers = servers.Select(s => new Uri(s)).ToList(),
        RetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryAfter = TimeSpan.FromMilliseconds(20),
    }, handler);

    [Fact]
    public async Task EveryAttemptOfOneRequestCarriesTheSameKeyAndTheRetryGoesToAnotherReplica()
    {
        var handler = new FakeReplicas(request => request.Count == 1 ? throw new HttpRequestException("connection reset") : null);
        using var client = Client(handler, "http://a/", "http://b/");
        await client.RunCodeAsync(Hello);
        await client.RunCodeAsync(Hello);
        Assert.Equal(3, handler.Seen.Count);
        Assert.NotEqual(handler.Seen[0].Host, handler.Seen[1].Host);
        Assert.Equal(handler.Seen[0].Key, handler.Seen[1].Key);
        Assert.NotEqual(handler.Seen[1].Key, handler.Seen[2].Key);
        Assert.All(handler.Seen, s => Assert.Matches("^[0-9a-f]{32}$", s.Key));
    }

    [Fact]
    public async Task WorkGoesToTheReplicaThatReportsTheLeastLoad()
    {
        // Replica a is full of other clients' work; b is idle.
        var handler = new FakeReplicas(_ => null) { Load = host => host == "a" ? "in_flight=8; queued=24; max_in_flight=8; ready=1" : "in_flight=0; queued=0; max_in_flight=8; ready=1" };
        using var client = Client(handler, "http://a/", "http://b/");
        for (var i = 0; i < 12; i++) await client.RunCodeAsync(Hello);
        Assert.True(handler.Seen.Count(s => s.Host == "a") <= 1, $"a got {handler.Seen.Count(s => s.Host == "a")} of 12 while reporting 4x b's load");
    }

    [Fact]
    public async Task AReplicaThatIsShuttingDownIsRetriedElsewhereAndThenLeftAlone()
    {
        var handler = new FakeReplicas(r => r.Host == "a"
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent("""{"error":{"code":"shutting_down","message":"going away"}}""", Encoding.UTF8, "application/json"),
                Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(5)) },
            }
            : null);
        using var client = Client(handler, "http://a/", "http://b/");
        for (var i = 0; i < 8; i++) Assert.Equal(RunStatus.Success, (await client.RunCodeAsync(Hello)).Status);
        Assert.True(handler.Seen.Count(s => s.Host == "a") <= 1, "a replica shutting down kept getting requests");
    }

    [Fact]
    public async Task ARetryThatReachesTheSameReplicaAfterALostAnswerIsNotRunAgain()
    {
        await using var server = await TestServer.StartAsync();
        // One URL, as behind a Kubernetes Service: the answer to the first attempt is lost on the way back.
        using var handler = new LoseFirstAnswer();
        using var client = new CrucibleClient(new CrucibleClientOptions { Servers = [server.BaseAddress], RetryDelay = TimeSpan.FromMilliseconds(5) }, handler);
        var r = await client.RunCodeAsync(new RunCodeRequest { Code = "import os\nprint(os.urandom(4).hex())", Language = "python" });
        Assert.Equal(RunStatus.Success, r.Status);
        var metrics = await server.Http.GetStringAsync("metrics");
        Assert.Contains("crucible_idempotent_replays_total 1\n", metrics);
        Assert.Contains("crucible_verdicts_total{endpoint=\"run_code\",verdict=\"Ok\"} 1\n", metrics);
    }

    /// <summary>Answers every request with a successful run unless <c>script</c> says otherwise; records host and key.</summary>
    private sealed class FakeReplicas(Func<FakeReplicas.Request, HttpResponseMessage?> script) : HttpMessageHandler
    {
        public sealed record Request(string Host, string Key, int Count);

        public List<Request> Seen { get; } = [];
        public Func<string, string>? Load { get; init; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request seen;
            lock (Seen)
            {
                seen = new Request(request.RequestUri!.Host, request.Headers.GetValues("Idempotency-Key").Single(), Seen.Count + 1);
                Seen.Add(seen);
            }
            var response = script(seen) ?? new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(JsonSerializer.Serialize(new RunCodeResponse { Status = RunStatus.Success }, WireJson.Options), Encoding.UTF8, "application/json"),
            };
            if (Load is not null) response.Headers.Add("X-Crucible-Load", Load(seen.Host));
            return Task.FromResult(response);
        }
    }

    /// <summary>Lets the first request reach the server, then drops its answer as a broken connection would.</summary>
    private sealed class LoseFirstAnswer() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Interlocked.Increment(ref _calls) > 1) return response;
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            response.Dispose();
            throw new HttpRequestException("the connection was lost before the answer arrived");
        }
    }
}
