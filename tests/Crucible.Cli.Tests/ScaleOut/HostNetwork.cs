using System.Diagnostics;

namespace Crucible.Cli.Tests.ScaleOut;

/// <summary>
/// Hosts for replicas on this machine: one network namespace per host, joined to the test's namespace by a veth
/// pair with a /30 of its own, so each replica has its own address, loopback and port space — as separate machines
/// would. The test creates every name and address here and removes them all on dispose.
/// </summary>
internal sealed class HostNetwork : IDisposable
{
    private readonly List<string> _namespaces = [];

    private HostNetwork(string tag, int subnet)
    {
        Tag = tag;
        Subnet = subnet;
    }

    public string Tag { get; }
    private int Subnet { get; }

    /// <summary>Why namespaces cannot be made here (not root, no iproute2, no netns support), or null when they can.</summary>
    public static string? Unsupported()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (Environment.UserName != "root" && Libc.geteuid() != 0) return "creating network namespaces needs root";
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip")) return "iproute2 (`ip`) is not installed (apt-get install iproute2)";
        var probe = "crs-probe-" + Environment.ProcessId;
        var (add, addErr) = Ip("netns", "add", probe);
        if (add != 0) return $"`ip netns add` failed: {addErr.Trim()}";
        Ip("netns", "del", probe);
        return null;
    }

    public static HostNetwork Create(int hosts)
    {
        var net = new HostNetwork(Guid.NewGuid().ToString("N")[..4], Random.Shared.Next(0, 1 << 14));
        try
        {
            for (var i = 0; i < hosts; i++) net.AddHost(i);
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    public int Count => _namespaces.Count;

    public string Namespace(int i) => _namespaces[i];

    /// <summary>The host's own address, inside its namespace: 10.(200+a).b.(4i+2).</summary>
    public string Address(int i) => Ipv4(i, 2);

    private string Ipv4(int i, int host) => $"10.{200 + (Subnet >> 8) % 50}.{Subnet & 0xff}.{4 * i + host}";

    private void AddHost(int i)
    {
        var ns = $"crs-{Tag}-{i}";
        string outside = $"crs{Tag}{i}h", inside = $"crs{Tag}{i}n";
        Must("netns", "add", ns);
        _namespaces.Add(ns);
        Must("link", "add", outside, "type", "veth", "peer", "name", inside);
        Must("link", "set", inside, "netns", ns);
        Must("addr", "add", Ipv4(i, 1) + "/30", "dev", outside);
        Must("link", "set", outside, "up");
        Must("-n", ns, "addr", "add", Ipv4(i, 2) + "/30", "dev", inside);
        Must("-n", ns, "link", "set", inside, "up");
        Must("-n", ns, "link", "set", "lo", "up");
    }

    /// <summary>Starts <paramref name="file"/> inside host <paramref name="i"/>'s namespace (ip execs it: the pid is the program's).</summary>
    public ProcessStartInfo StartInfo(int i, string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", Namespace(i), file }.Concat(args)) psi.ArgumentList.Add(a);
        return psi;
    }

    private static void Must(params string[] args)
    {
        var (code, err) = Ip(args);
        if (code != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {err.Trim()}");
    }

    private static (int Code, string Stderr) Ip(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err.Result);
    }

    /// <summary>Deleting a namespace deletes its end of the veth pair, and with it the host's end and both addresses.</summary>
    public void Dispose()
    {
        foreach (var ns in _namespaces) Ip("netns", "del", ns);
        _namespaces.Clear();
    }
}
