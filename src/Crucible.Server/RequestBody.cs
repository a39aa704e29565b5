using System.Text.Json;
using Crucible.Client;
using Microsoft.AspNetCore.Http;

namespace Crucible.Server;

/// <summary>Reads a JSON request body within the size limit, turning every failure into an error that names the field.</summary>
internal static class RequestBody
{
    public static async Task<T> ReadAsync<T>(HttpContext context, long maxBytes, CancellationToken cancellationToken) where T : class
    {
        if (context.Request.ContentLength is { } length && length > maxBytes)
            throw TooLarge(length, maxBytes);
        if (context.Request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(415, "invalid_request", "Content-Type", $"the body must be JSON (Content-Type: application/json), got '{type}'.");
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, WireJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw ApiException.Invalid("body", "the body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            var wrongType = e.Message.Contains("could not be converted", StringComparison.Ordinal);
            var reason = Explain(e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.'));
            throw wrongType
                ? new ApiException(422, "invalid_request", field, $"'{field}' has the wrong type: {reason}.")
                : new ApiException(400, "invalid_request", field, $"the body is not valid JSON (at '{field}'): {reason}.");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null, maxBytes);
        }
        catch (BadHttpRequestException e)
        {
            // A body shorter than its Content-Length, a broken chunked encoding: the request is malformed, not us.
            var status = e.StatusCode is >= 400 and < 500 ? e.StatusCode : StatusCodes.Status400BadRequest;
            throw new ApiException(status, "invalid_request", "body", $"the request body could not be read: {e.Message.TrimEnd('.')}; send the whole body (Content-Length must match).");
        }
    }

    /// <summary>Says "expected a number" where System.Text.Json says "could not be converted to System.Double".</summary>
    private static string Explain(string reason)
    {
        const string marker = "could not be converted to ";
        var i = reason.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0) return reason;
        var type = reason[(i + marker.Length)..];
        var expected = type switch
        {
            _ when type.StartsWith("System.Double", StringComparison.Ordinal) || type.StartsWith("System.Int", StringComparison.Ordinal) => "a number",
            _ when type.StartsWith("System.String", StringComparison.Ordinal) => "a string",
            _ when type.StartsWith("System.Boolean", StringComparison.Ordinal) => "true or false",
            _ when type.Contains("Dictionary", StringComparison.Ordinal) => "a JSON object",
            _ when type.Contains("List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "a JSON array",
            _ => "a JSON object",
        };
        return "expected " + expected;
    }

    /// <summary>"$.items[3].ground_truth" → "items[3].ground_truth"; the whole body when there is no path.</summary>
    internal static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static ApiException TooLarge(long? length, long maxBytes) => new(413, "too_large", "body",
        $"the body{(length is { } l ? $" ({l} bytes)" : "")} exceeds the server's limit of {maxBytes} bytes; split the batch or raise --max-body.");
}
