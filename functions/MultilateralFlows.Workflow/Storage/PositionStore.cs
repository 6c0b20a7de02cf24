using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Http;

namespace MultilateralFlows.Storage;

/// <summary>
/// The consolidated positions in Blob storage: every version of a round's position in every format,
/// at <c>positions/{roundId}/v{version}/position.{md|html|json}</c>. Versions are never overwritten with other content.
/// </summary>
public sealed class PositionStore(WorkflowStorage storage)
{
    public static string BlobName(string roundId, int version, PositionFormat format) =>
        $"{roundId}/v{version:D3}/position.{PositionRenderer.FileExtension(format)}";

    public async Task SaveAsync(PositionDocument position, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        foreach (var format in Enum.GetValues<PositionFormat>())
        {
            var blob = storage.Positions.GetBlobClient(BlobName(position.RoundId, position.Version, format));
            var content = BinaryData.FromString(await PositionRenderer.RenderAsync(position, format));
            await blob.UploadAsync(
                content,
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = PositionRenderer.ContentType(format) } },
                cancellationToken);
        }
    }

    /// <summary>A stored version as the document it was rendered from (its JSON form), or null if there is no such version.</summary>
    public async Task<PositionDocument?> ReadDocumentAsync(string roundId, int version, CancellationToken cancellationToken) =>
        await ReadAsync(roundId, version, PositionFormat.Json, cancellationToken) is { } json
            ? JsonSerializer.Deserialize<PositionDocument>(json, WorkflowJson.Options)
            : null;

    /// <summary>
    /// A stored version as Markdown or HTML in another language: written from its stored JSON, so it says exactly what the
    /// stored documents say, in other fixed words. Null if there is no such version.
    /// </summary>
    public async Task<string?> ReadInLanguageAsync(
        string roundId, int version, PositionFormat format, PositionTexts texts, CancellationToken cancellationToken) =>
        await ReadDocumentAsync(roundId, version, cancellationToken) is { } document
            ? await PositionRenderer.RenderAsync(document, format, texts)
            : null;

    public async Task<string?> ReadAsync(string roundId, int version, PositionFormat format, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        try
        {
            var content = await storage.Positions.GetBlobClient(BlobName(roundId, version, format)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
