using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace OneForm.Common;

/// <summary>
/// How large a whole file may be on the pages and endpoints that import one. The server's default (30 MB a request)
/// stops the national division tree (35 MB) and any prefecture's registry; these follow the importers' row limits.
/// An upload is kept on disk while it arrives, not in memory.
/// </summary>
public static class UploadLimits
{
    /// <summary>A divisions CSV: 1,000,000 lines (DivisionImporter.MaxRows) of up to about 130 bytes.</summary>
    public const long DivisionsFile = 128L * 1024 * 1024;

    /// <summary>A registry file: 5,000,000 rows (ResidentImporter.MaxRows) of up to about 200 bytes.</summary>
    public const long RegistryFile = 1024L * 1024 * 1024;

    /// <summary>
    /// How large a request the endpoint being served takes: its own limit (one of the above), else the server's; null
    /// where neither sets one. What a page's file pickers tell the phone (Web/FileSizeTagHelper) and what a page post
    /// is refused beyond (Web/WebModule) are both this.
    /// </summary>
    public static long? For(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } own
            ? own.MaxRequestBodySize
            : http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;

    /// <summary>Lets the endpoint take a file of up to <paramref name="bytes"/>: the request body and its multipart form.</summary>
    public static TBuilder TakesFilesUpTo<TBuilder>(this TBuilder endpoint, long bytes) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new RequestSizeLimitAttribute(bytes)).WithFormOptions(multipartBodyLengthLimit: bytes);
}
