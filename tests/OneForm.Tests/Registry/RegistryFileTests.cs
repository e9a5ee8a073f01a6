using System.Text;
using OneForm.Registry;

namespace OneForm.Tests.Registry;

public sealed class RegistryFileTests
{
    [Fact]
    public void A_sample_cut_inside_a_character_is_still_recognised()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var text = string.Concat(Enumerable.Repeat("锦绣社区居民委员会,张三\n", 4000));
        foreach (var encoding in new[] { new UTF8Encoding(false), Encoding.GetEncoding("GB18030") })
        {
            var bytes = encoding.GetBytes(text);
            for (var cut = 0; cut < 4; cut++)
            {
                var sample = bytes.AsSpan(0, 64 * 1024 - cut);
                Assert.Equal(encoding.WebName, RegistryFile.Detect(sample, complete: false)?.WebName);
            }
        }
        Assert.Null(RegistryFile.Detect([0xFF, 0xFE, 0x81, 0x30, 0xC0, 0xFF, 0x80], complete: true));
    }
}
