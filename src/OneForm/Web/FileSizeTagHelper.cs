using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace OneForm.Web;

/// <summary>
/// Tells every file picker how large a request its page takes (<c>data-max-bytes</c>), so the phone says a file is too
/// large before it spends minutes sending it (wwwroot/js/forms.js): a server refuses a body over its limit by closing
/// the connection mid-upload, which a browser shows as a network error, not as the page's message. The limit is the
/// page's own (its <see cref="Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute"/>, see <see cref="Common.UploadLimits"/>)
/// or the server's.
/// </summary>
[HtmlTargetElement("input", Attributes = "[type=file]")]
public sealed class FileSizeTagHelper(IOptions<KestrelServerOptions> kestrel) : TagHelper
{
    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (MaxBytes(ViewContext.HttpContext) is { } most)
        {
            output.Attributes.SetAttribute("data-max-bytes", most.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private long? MaxBytes(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } page
            ? page.MaxRequestBodySize
            : kestrel.Value.Limits.MaxRequestBodySize;
}
