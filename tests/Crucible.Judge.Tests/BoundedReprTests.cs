using Crucible.Judge.Values;

namespace Crucible.Judge.Tests;

/// <summary>Previews render only the start of a value, and that start is exactly the whole repr's.</summary>
public sealed class BoundedReprTests
{
    [Theory]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"$tuple\": [\"a\", [1.5, {\"$set\": [1, 2]}], null, true]}")]
    [InlineData("[[1, 2], [3, 4], {\"k\": [5, 6]}, \"long string value here\"]")]
    public void The_start_of_the_repr_is_the_start_of_the_whole_repr(string json)
    {
        var value = PyJson.Parse(json);
        var whole = value.ToString();
        for (var n = 0; n <= whole.Length + 1; n++)
        {
            var start = value.ToString(n);
            var shown = Math.Min(n, whole.Length);
            Assert.Equal(whole[..shown], start[..Math.Min(shown, start.Length)]);
            Assert.True(start.Length >= shown, $"limit {n}: '{start}' is shorter than the first {shown} characters of '{whole}'");
            if (whole.Length <= n) Assert.Equal(whole, start);
        }
    }

    [Fact]
    public void A_large_value_is_not_rendered_whole()
    {
        var big = PyJson.Parse("[" + string.Join(", ", Enumerable.Range(0, 100_000)) + "]");
        var start = big.ToString(201);
        Assert.True(start.Length < 1000, $"{start.Length} characters rendered for a limit of 201");
        Assert.StartsWith("[0, 1, 2, 3", start);
    }
}
