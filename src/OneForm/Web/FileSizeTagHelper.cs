using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using OneForm.Common;

namespace OneForm.Web;

/// <summary>
/// Tells every file picker how large a request its page takes (<c>data-max-bytes</c>, <see cref="UploadLimits.For"/>), so
/// the phone says a file is too large before it spends minutes sending it (wwwroot/js/forms.js): a server refuses a body
/// over its limit by closing the connection mid-upload, which a browser shows as a network error, not as the page's message.
/// </summary>
[HtmlTargetElement("input", Attributes = "[type=file]")]
public sealed class FileSizeTagHelper : TagHelper
{
    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (UploadLimits.For(ViewContext.HttpContext) is { } most)
        {
            output.Attributes.SetAttribute("data-max-bytes", most.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
