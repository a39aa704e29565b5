using System.Text;

namespace Crucible.Sandbox.Tests;

/// <summary>Reading control files: a short read is taken as the whole file, so every size must still come back whole.</summary>
public sealed class CgroupFsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(4096)]
    [InlineData(4608)]
    [InlineData(40_000)]
    public void A_file_of_any_size_is_read_whole_from_an_open_descriptor(int size)
    {
        var path = Path.GetTempFileName();
        try
        {
            var text = new string(Enumerable.Range(0, size).Select(i => i % 61 == 60 ? '\n' : (char)('0' + i % 10)).ToArray());
            File.WriteAllText(path, text, Encoding.ASCII);
            var fd = CgroupFs.Open(path, write: false);
            try
            {
                Assert.Equal(text, CgroupFs.ReadText(fd, path));
                Assert.Equal(text, CgroupFs.ReadText(fd, path)); // again from offset 0 on the same descriptor
            }
            finally { Libc.Close(fd); }
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_kernel_rendered_file_longer_than_the_first_read_comes_back_whole()
    {
        // /proc/self/limits is rendered by the kernel's seq_file machinery like cgroupfs files, is longer than the
        // first 512-byte read, and does not change while the test runs.
        const string path = "/proc/self/limits";
        Assert.SkipUnless(File.Exists(path), "no /proc/self/limits");
        var expected = File.ReadAllText(path);
        Assert.True(expected.Length > 512, $"{path} is only {expected.Length} bytes");
        Assert.Equal(expected, CgroupFs.ReadText(path));
    }
}
