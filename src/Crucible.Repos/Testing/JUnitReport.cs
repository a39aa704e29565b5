using System.Xml;
using System.Xml.Linq;

namespace Crucible.Repos.Testing;

/// <summary>
/// Reads JUnit XML (as pytest writes it) into statuses per test id. Ids are pytest node ids rebuilt from the
/// <c>file</c> and <c>classname</c> attributes, with the test name kept whole: parametrised ids containing spaces
/// survive, unlike ids split out of <c>-rA</c> text.
/// </summary>
public static class JUnitReport
{
    /// <summary>Parses the report; throws <see cref="FormatException"/> when it is not JUnit XML.</summary>
    public static IReadOnlyDictionary<string, TestStatus> Parse(byte[] xml)
    {
        XDocument doc;
        try
        {
            using var stream = new MemoryStream(xml);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(reader);
        }
        catch (XmlException e) { throw new FormatException($"not well-formed XML: {e.Message}", e); }
        var root = doc.Root ?? throw new FormatException("empty document");
        if (root.Name.LocalName is not ("testsuites" or "testsuite")) throw new FormatException($"root element is <{root.Name.LocalName}>, not <testsuites>/<testsuite>");
        var statuses = new Dictionary<string, TestStatus>(StringComparer.Ordinal);
        foreach (var tc in root.Descendants().Where(e => e.Name.LocalName == "testcase"))
        {
            var id = TestId((string?)tc.Attribute("file"), (string?)tc.Attribute("classname") ?? "", (string?)tc.Attribute("name") ?? "");
            var status = StatusOf(tc);
            statuses[id] = statuses.TryGetValue(id, out var prior) ? Worst(prior, status) : status;
        }
        return statuses;
    }

    private static TestStatus StatusOf(XElement tc)
    {
        var children = tc.Elements().Select(e => e.Name.LocalName).ToList();
        if (children.Contains("error")) return TestStatus.Error;
        if (children.Contains("failure")) return TestStatus.Failed;
        var skipped = tc.Elements().FirstOrDefault(e => e.Name.LocalName == "skipped");
        if (skipped is not null)
            return ((string?)skipped.Attribute("type"))?.Contains("xfail", StringComparison.OrdinalIgnoreCase) == true ? TestStatus.XFail : TestStatus.Skipped;
        return TestStatus.Passed;
    }

    private static TestStatus Worst(TestStatus a, TestStatus b)
    {
        static int Rank(TestStatus s) => s switch { TestStatus.Error => 4, TestStatus.Failed => 3, TestStatus.Skipped => 2, TestStatus.XFail => 1, _ => 0 };
        return Rank(a) >= Rank(b) ? a : b;
    }

    /// <summary>
    /// <c>tests/test_x.py</c> + <c>tests.test_x.TestA.TestB</c> + <c>test_y[a b]</c> → <c>tests/test_x.py::TestA::TestB::test_y[a b]</c>.
    /// Without a file attribute (other runners, xunit2) the id is <c>classname::name</c>.
    /// </summary>
    public static string TestId(string? file, string classname, string name)
    {
        if (string.IsNullOrEmpty(file)) return string.IsNullOrEmpty(classname) ? name : $"{classname}::{name}";
        var module = file.EndsWith(".py", StringComparison.Ordinal) ? file[..^3] : file;
        var dotted = module.Replace('/', '.');
        var rest = classname;
        if (rest == dotted) rest = "";
        else if (rest.StartsWith(dotted + ".", StringComparison.Ordinal)) rest = rest[(dotted.Length + 1)..];
        else
        {
            // pytest drops leading "../" parts or package roots from classname; keep what follows the module's last part.
            var last = dotted[(dotted.LastIndexOf('.') + 1)..];
            var at = rest.IndexOf(last + ".", StringComparison.Ordinal);
            rest = rest == last ? "" : at >= 0 ? rest[(at + last.Length + 1)..] : "";
        }
        return rest.Length == 0 ? $"{file}::{name}" : $"{file}::{rest.Replace(".", "::", StringComparison.Ordinal)}::{name}";
    }
}
