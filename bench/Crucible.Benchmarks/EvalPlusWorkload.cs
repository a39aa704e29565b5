using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Crucible.Benchmarks;

/// <summary>
/// A generated HumanEval+-sized workload in EvalPlus's own file format: 164 problems whose base/plus input counts
/// follow HumanEval+ v0.1.10 (≈ 9.6 base and ≈ 750 plus inputs per problem, most near 1,000, a quarter in the
/// low hundreds), and 10 samples per problem: 7 right (in different styles), one wrong on a late plus input, one
/// wrong on the base inputs, one that raises on some inputs. Four kinds of functions: list, string, tuple and float
/// answers (the last one exercises the float tolerance).
/// </summary>
internal static class EvalPlusWorkload
{
    public static (string Dataset, string Samples, int Tests) Write(string dir, int problems, int samplesPerProblem)
    {
        var rng = new Random(20261130);
        var dataset = new StringBuilder();
        var samples = new StringBuilder();
        var tests = 0;
        for (var p = 0; p < problems; p++)
        {
            var c = 2 + p % 7;
            var kind = p % 4;
            var baseCount = 3 + rng.Next(14);
            var plusCount = (p % 20) switch { < 5 => 100 + rng.Next(150), < 7 => 300 + rng.Next(500), _ => 950 + rng.Next(51) };
            var entry = $"f{p}";
            var (signature, body, variants) = Kind(kind, entry, c);
            var baseInputs = Enumerable.Range(0, baseCount).Select(_ => Input(kind, rng)).ToList();
            var plusInputs = Enumerable.Range(0, plusCount).Select(_ => Input(kind, rng)).ToList();
            tests += baseCount + plusCount;
            dataset.AppendLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["task_id"] = $"HumanEval/{p}", ["prompt"] = signature, ["entry_point"] = entry, ["canonical_solution"] = body,
                ["atol"] = 0, ["base_input"] = baseInputs, ["plus_input"] = plusInputs,
            }));
            for (var s = 0; s < samplesPerProblem; s++)
                samples.AppendLine(JsonSerializer.Serialize(new { task_id = $"HumanEval/{p}", solution = signature + variants[s % variants.Length] }));
        }
        var datasetPath = Path.Combine(dir, "HumanEvalPlusLike.jsonl");
        var samplesPath = Path.Combine(dir, "samples.jsonl");
        File.WriteAllText(datasetPath, dataset.ToString());
        File.WriteAllText(samplesPath, samples.ToString());
        return (datasetPath, samplesPath, tests);
    }

    private static object[] Input(int kind, Random rng) => kind switch
    {
        0 => [Enumerable.Range(0, 4 + rng.Next(24)).Select(_ => rng.Next(-1000, 1000)).ToArray(), 1 + rng.Next(9)],
        1 => [new string(Enumerable.Range(0, 3 + rng.Next(30)).Select(_ => (char)('a' + rng.Next(26))).ToArray())],
        2 => [rng.Next(0, 100000), 1 + rng.Next(1000)],
        _ => [Math.Round(rng.NextDouble() * 1000, 3)],
    };

    // (prompt, canonical body, 10 sample bodies: 7 right, 1 wrong late, 1 wrong early, 1 raising)
    private static (string Signature, string Body, string[] Variants) Kind(int kind, string entry, int c)
    {
        var ci = c.ToString(CultureInfo.InvariantCulture);
        switch (kind)
        {
            case 0:
                return ($"def {entry}(xs, k):\n",
                    $"    return sorted(x * k + {ci} for x in xs if x % 3 != {c % 3})\n",
                    [
                        $"    return sorted(x * k + {ci} for x in xs if x % 3 != {c % 3})\n",
                        $"    out = []\n    for x in xs:\n        if x % 3 != {c % 3}:\n            out.append(x * k + {ci})\n    out.sort()\n    return out\n",
                        $"    return sorted(map(lambda x: x * k + {ci}, filter(lambda x: x % 3 != {c % 3}, xs)))\n",
                        $"    ys = [x * k + {ci} for x in xs if x % 3 != {c % 3}]\n    return sorted(ys)\n",
                        $"    import heapq\n    ys = [x * k + {ci} for x in xs if x % 3 != {c % 3}]\n    return [heapq.heappop(ys) for _ in range(len(ys))] if heapq.heapify(ys) is None else []\n",
                        $"    return list(sorted([x * k + {ci} for x in xs if (x % 3) != {c % 3}]))\n",
                        $"    return sorted((x * k + {ci} for x in xs if x % 3 != {c % 3}), key=lambda v: v)\n",
                        $"    return sorted(x * k + {ci} for x in xs if x % 3 != {c % 3} and x != 999)\n",
                        $"    return sorted(x * k + {ci} for x in xs)\n",
                        $"    return sorted(x * k + {ci} for x in xs if x % 3 != {c % 3}) if len(xs) < 25 else xs[100]\n",
                    ]);
            case 1:
                return ($"def {entry}(s):\n",
                    $"    return s[::-1].upper() + str(len(s) % {ci})\n",
                    [
                        $"    return s[::-1].upper() + str(len(s) % {ci})\n",
                        $"    return ''.join(reversed(s)).upper() + str(len(s) % {ci})\n",
                        $"    r = ''\n    for ch in s:\n        r = ch.upper() + r\n    return r + str(len(s) % {ci})\n",
                        $"    return s.upper()[::-1] + '%d' % (len(s) % {ci})\n",
                        $"    return (s[::-1] + str(len(s) % {ci})).upper()\n",
                        $"    n = len(s)\n    return ''.join(s[n - 1 - i].upper() for i in range(n)) + str(n % {ci})\n",
                        $"    return s[::-1].swapcase().upper() + str(len(s) % {ci})\n",
                        $"    return s[::-1].upper() + str(len(s) % {ci}) if len(s) != 31 else s\n",
                        $"    return s.upper() + str(len(s) % {ci})\n",
                        $"    return s[::-1].upper() + str(len(s) % {ci}) if 'zz' not in s else s[1000]\n",
                    ]);
            case 2:
                return ($"def {entry}(a, b):\n",
                    $"    return (a * b + {ci}) % 1000003, a // (b + {ci})\n",
                    [
                        $"    return (a * b + {ci}) % 1000003, a // (b + {ci})\n",
                        $"    return ((a * b + {ci}) % 1000003, a // (b + {ci}))\n",
                        $"    q = a // (b + {ci})\n    return (a * b + {ci}) % 1000003, q\n",
                        $"    return tuple([(a * b + {ci}) % 1000003, a // (b + {ci})])\n",
                        $"    m = 1000003\n    return ((a % m) * (b % m) + {ci}) % m, a // (b + {ci})\n",
                        $"    return divmod(a * b + {ci}, 1000003)[1], divmod(a, b + {ci})[0]\n",
                        $"    x = a * b\n    x += {ci}\n    return x % 1000003, a // (b + {ci})\n",
                        $"    return (a * b + {ci}) % 1000003, a // (b + {ci}) if a < 99990 else 0\n",
                        $"    return [(a * b + {ci}) % 1000003, a // (b + {ci})]\n",
                        $"    return (a * b + {ci}) % 1000003, a // (b + {ci} - (b == 997) * (b + {ci}))\n",
                    ]);
            default:
                return ($"def {entry}(x):\n",
                    $"    return x / ({ci} + 1.5)\n",
                    [
                        $"    return x / ({ci} + 1.5)\n",
                        $"    return x * (1 / ({ci} + 1.5))\n",
                        $"    return float(x) / {c + 1.5}\n",
                        $"    d = {ci} + 1.5\n    return x / d\n",
                        $"    return (x * 2) / (2 * {ci} + 3)\n",
                        $"    return x / {c * 2 + 3} * 2\n",
                        $"    return sum([x]) / ({ci} + 1.5)\n",
                        $"    return x / ({ci} + 1.5) + (0.5 if x > 999.5 else 0)\n",
                        $"    return x / {ci}\n",
                        $"    return x / ({ci} + 1.5) if x > 0.01 else 1 / 0\n",
                    ]);
        }
    }
}
