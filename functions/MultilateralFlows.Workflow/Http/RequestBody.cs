using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>A body read within its limit, or the problem answer explaining why it was not.</summary>
public sealed record BodyRead(string? Text, IResult? Problem)
{
    public static BodyRead Ok(string text) => new(text, null);

    public static BodyRead Refused(IResult problem) => new(null, problem);
}

/// <summary>
/// Reads request bodies defensively: at most a fixed number of bytes (413 above it, before reading it all), strict UTF-8
/// (400 for invalid bytes), and JSON parsed with a depth limit and clear messages that name the offending field.
/// </summary>
public static class RequestBody
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<BodyRead> ReadTextAsync(HttpRequest request, int limitBytes, CancellationToken cancellationToken)
    {
        var (bytes, problem) = await ReadBytesAsync(request, limitBytes, cancellationToken);
        if (problem is not null)
        {
            return BodyRead.Refused(problem);
        }

        try
        {
            var text = bytes.AsSpan();
            if (text.StartsWith(Encoding.UTF8.Preamble))
            {
                text = text[Encoding.UTF8.Preamble.Length..];
            }

            return BodyRead.Ok(StrictUtf8.GetString(text));
        }
        catch (DecoderFallbackException)
        {
            return BodyRead.Refused(Problems.BadRequest("The body is not valid UTF-8."));
        }
    }

    /// <summary>
    /// Whether a form body's escapes decode to valid UTF-8. Form parsing would otherwise turn a byte that is no
    /// character (<c>%FF</c>, an overlong or cut sequence) into U+FFFD and store it as if the participant had written it.
    /// </summary>
    public static bool IsWellEncodedForm(string body)
    {
        var bytes = new List<byte>(body.Length);
        Span<byte> encoded = stackalloc byte[4];
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '%' && i + 2 < body.Length && Uri.IsHexDigit(body[i + 1]) && Uri.IsHexDigit(body[i + 2]))
            {
                bytes.Add(Convert.ToByte(body.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }

            // The body itself is valid UTF-8 text (it was read strictly): its own characters go back as they came.
            var width = char.IsHighSurrogate(body[i]) && i + 1 < body.Length ? 2 : 1;
            bytes.AddRange(encoded[..Encoding.UTF8.GetBytes(body.AsSpan(i, width), encoded)]);
            i += width - 1;
        }

        try
        {
            StrictUtf8.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>
    /// The body's bytes exactly as sent (what a signature covers), within the limit; 413 above it, before reading it all.
    /// <paramref name="observe"/> sees each chunk as it arrives (to hash it on the way).
    /// </summary>
    public static async Task<(byte[] Bytes, IResult? Problem)> ReadBytesAsync(
        HttpRequest request, int limitBytes, CancellationToken cancellationToken, Action<ReadOnlyMemory<byte>>? observe = null)
    {
        if (request.ContentLength > limitBytes)
        {
            return ([], Problems.TooLarge(limitBytes));
        }

        var buffer = new byte[Math.Min(limitBytes + 1, 64 * 1024)];
        using var content = new MemoryStream();
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > limitBytes)
            {
                return ([], Problems.TooLarge(limitBytes));
            }

            observe?.Invoke(buffer.AsMemory(0, read));
        }

        return (content.ToArray(), null);
    }

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.Contains("+json", StringComparison.OrdinalIgnoreCase)));

    public static bool IsForm(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses JSON into <typeparamref name="T"/>; a syntax or type error becomes a 400 naming the JSON path.</summary>
    public static (T? Value, IResult? Problem) ParseJson<T>(string text)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, Problems.BadRequest("The body is empty; a JSON object is expected."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(text, WorkflowJson.Options);
            return value is null ? (null, Problems.BadRequest("A JSON object is expected, not null.")) : (value, null);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the body" : $"'{e.Path}'";
            var detail = e.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"The JSON is nested deeper than {WorkflowJson.MaxDepth} levels."
                : $"The JSON is malformed or has a value of the wrong type at {where}.";
            return (null, Problems.BadRequest(detail));
        }
    }
}
