using System.Diagnostics;
using Crucible.Sandbox;
using Crucible.Server;
using Microsoft.Extensions.Logging;

namespace Crucible.Cli.Tests.Deploy;

/// <summary>
/// deploy/: what can be checked without Docker or Kubernetes. Every name the manifests and the image share with the
/// server — flags, port, probe and metrics paths, the autoscaler's metric — is checked against the server itself.
/// </summary>
public sealed class ManifestTests
{
    private static readonly Manifests M = Manifests.Load();
    private static YamlDotNet.RepresentationModel.YamlMappingNode Deployment => M.Kind("Deployment", "crucible");
    private static YamlDotNet.RepresentationModel.YamlNode Container => Manifests.At(Deployment, "spec", "template", "spec", "containers", "0")!;
    private static List<string> Args => Manifests.List(Container, "args");

    private static string Flag(string name) => Args[Args.IndexOf(name) + 1];

    [Fact]
    public void TheContainerArgumentsAreValidServeOptions()
    {
        Assert.Equal("serve", Args[0]);
        var serve = ServeCommand.Create();
        var parsed = serve.Parse(Args.Skip(1).ToArray());
        Assert.Empty(parsed.Errors);
        var known = serve.Options.Select(o => o.Name).ToHashSet();
        Assert.All(Args.Where(a => a.StartsWith("--", StringComparison.Ordinal)), a => Assert.Contains(a, known));
        // The values parse the way serve parses them.
        Assert.True(Sizes.ParseDuration(Flag("--drain-timeout")) > TimeSpan.Zero);
        Assert.True(Sizes.ParseDuration(Flag("--unready-delay"), allowZero: true) > TimeSpan.Zero, "on a cluster the Service needs time to stop routing");
    }

    [Fact]
    public void PortsNamesAndSelectorsAgreeAcrossTheManifests()
    {
        var port = new Uri(Flag("--urls")).Port;
        var containerPort = Manifests.At(Container, "ports", "0")!;
        Assert.Equal(port.ToString(), Manifests.Text(containerPort, "containerPort"));
        var portName = Manifests.Text(containerPort, "name");
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            Assert.Equal(portName, Manifests.Text(Container, probe, "httpGet", "port"));
        var annotations = Manifests.Map(Deployment, "spec", "template", "metadata", "annotations");
        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(port.ToString(), annotations["prometheus.io/port"]);

        var podLabels = Manifests.Map(Deployment, "spec", "template", "metadata", "labels");
        foreach (var service in M.Documents.Where(d => Manifests.Text(d, "kind") == "Service"))
        {
            Assert.Equal(portName, Manifests.Text(service, "spec", "ports", "0", "targetPort"));
            Assert.All(Manifests.Map(service, "spec", "selector"), kv => Assert.Equal(kv.Value, podLabels[kv.Key]));
        }
        Assert.All(Manifests.Map(M.Kind("PodDisruptionBudget"), "spec", "selector", "matchLabels"), kv => Assert.Equal(kv.Value, podLabels[kv.Key]));
        Assert.All(Manifests.Map(Deployment, "spec", "selector", "matchLabels"), kv => Assert.Equal(kv.Value, podLabels[kv.Key]));
        Assert.Equal("crucible", Manifests.Text(M.Kind("HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "name"));
        var kustomization = File.ReadAllText(Path.Combine(M.Root, "kubernetes", "kustomization.yaml"));
        Assert.All(Directory.GetFiles(Path.Combine(M.Root, "kubernetes"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml"),
            f => Assert.Contains("- " + f, kustomization));
    }

    [Fact]
    public void TheGracePeriodCoversTheUnreadyDelayAndTheDrain()
    {
        var grace = TimeSpan.FromSeconds(int.Parse(Manifests.Text(Deployment, "spec", "template", "spec", "terminationGracePeriodSeconds")!));
        Assert.True(grace > Sizes.ParseDuration(Flag("--unready-delay"), allowZero: true) + Sizes.ParseDuration(Flag("--drain-timeout")) + TimeSpan.FromSeconds(5),
            "the kubelet would SIGKILL replicas in the middle of their drain");
        // One sandbox run slot per requested core: the sizing in docs/deploy.md assumes it.
        Assert.Equal(Flag("--parallel-runs"), Manifests.Text(Container, "resources", "requests", "cpu"));
    }

    [Fact]
    public async Task ProbePathsMetricsAndTheAutoscalersMetricExistOnTheServer()
    {
        var state = Path.Combine(Path.GetTempPath(), "crucible-manifest-test-" + Guid.NewGuid().ToString("N")[..8]);
        await using var server = CrucibleServer.Create(new ServerOptions { Urls = ["http://127.0.0.1:0"], Sandbox = new SandboxOptions { StateRoot = state } }, minimumLogLevel: LogLevel.Warning);
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Addresses.Single() };
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            var path = Manifests.Text(Container, probe, "httpGet", "path")!;
            Assert.Equal(200, (int)(await http.GetAsync(path.TrimStart('/'))).StatusCode);
        }
        var metricsPath = Manifests.Map(Deployment, "spec", "template", "metadata", "annotations")["prometheus.io/path"];
        var metrics = await http.GetStringAsync(metricsPath.TrimStart('/'));
        var hpaMetric = Manifests.Text(M.Kind("HorizontalPodAutoscaler"), "spec", "metrics", "0", "pods", "metric", "name")!;
        Assert.Contains($"# TYPE {hpaMetric} gauge\n", metrics);
        Assert.Contains($"'{hpaMetric}{{", File.ReadAllText(Path.Combine(M.Root, "prometheus-adapter", "rules.yaml")));

        // Readiness is the probe that turns first on SIGTERM; liveness stays up while the replica drains.
        server.MarkUnready();
        Assert.Equal(503, (int)(await http.GetAsync(Manifests.Text(Container, "readinessProbe", "httpGet", "path")!.TrimStart('/'))).StatusCode);
        Assert.Equal(200, (int)(await http.GetAsync(Manifests.Text(Container, "livenessProbe", "httpGet", "path")!.TrimStart('/'))).StatusCode);
        try { Directory.Delete(state, true); } catch (IOException) { }
    }

    [Fact]
    public void TheImageRunsThePublishedServerWithTheSandboxsPackages()
    {
        var dockerfile = File.ReadAllText(Path.Combine(M.Root, "Dockerfile"));
        Assert.Contains("FROM debian:", dockerfile);
        foreach (var package in new[] { "bubblewrap", "util-linux", "python3", "python3-numpy" }) Assert.Matches($@"\s{package}\s", dockerfile);
        Assert.Contains($"EXPOSE {new Uri(Flag("--urls")).Port}", dockerfile);
        Assert.Contains("dotnet publish src/Crucible.Cli", dockerfile);
        var entrypoint = File.ReadAllText(Path.Combine(M.Root, "entrypoint.sh"));
        // The published assembly the entrypoint runs is the CLI's.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "crucible.dll")));
        Assert.Contains("exec dotnet /opt/crucible/crucible.dll \"$@\"", entrypoint);
        Assert.Contains("COPY --from=build /out /opt/crucible", dockerfile);
        var sh = Process.Start(new ProcessStartInfo("sh", ["-n", Path.Combine(M.Root, "entrypoint.sh")]) { RedirectStandardError = true })!;
        sh.WaitForExit();
        Assert.True(sh.ExitCode == 0, "entrypoint.sh has a shell syntax error: " + sh.StandardError.ReadToEnd());
    }

    [Fact]
    public void EveryCapabilityGrantedIsExplainedInTheDeployGuide()
    {
        var added = Manifests.List(Container, "securityContext", "capabilities", "add");
        Assert.NotEmpty(added);
        Assert.Equal(["ALL"], Manifests.List(Container, "securityContext", "capabilities", "drop"));
        Assert.Equal("false", Manifests.Text(Container, "securityContext", "privileged"));
        var guide = File.ReadAllText(Path.Combine(Manifests.Repo(), "docs", "deploy.md"));
        Assert.All(added, cap => Assert.Contains($"`CAP_{cap}`", guide));
    }
}
