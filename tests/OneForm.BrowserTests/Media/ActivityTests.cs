using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;
using static OneForm.BrowserTests.Phone;

namespace OneForm.BrowserTests.Media;

[Collection(nameof(BrowserCollection))]
public sealed class ActivityTests(BrowserFixture browser)
{
    private static string Photo(int width, int height, SKColor color)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(color);
        }
        using var image = SKImage.FromBitmap(bitmap);
        var path = Path.Combine(Path.GetTempPath(), $"meeting-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray());
        return path;
    }

    [Fact]
    public async Task A_cadre_records_a_meeting_with_two_photos_over_a_flaky_network_and_the_reviewer_sees_it()
    {
        var page = await browser.PhoneAsync();
        await SignInAsync(page, "cadre.jinxiu");
        await page.GetByTestId("tab-records").ClickAsync();
        await page.GetByTestId("record-activity").ClickAsync();

        // Digits, not hex: a title of letters would read as English on the pages every other test checks for it.
        var title = "支委会：研究冬季供暖排查 " + Random.Shared.Next(1000, 10000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("标题（可不填）").FillAsync(title);
        await page.GetByLabel("参加人数").FillAsync("7");
        await page.GetByLabel("会议记录").FillAsync("逐户排查供暖情况，发现问题当场登记。");
        var photos = new[] { Photo(3000, 2000, SKColors.SteelBlue), Photo(2400, 3200, SKColors.DarkOliveGreen) };
        await page.GetByTestId("photos").SetInputFilesAsync(photos);

        // The network drops the first attempt of each photo; the page tries again by itself.
        var attempts = 0;
        var sizes = new List<long>();
        await page.RouteAsync("**/Activities/New?handler=Photo*", async route =>
        {
            if (++attempts % 2 == 1)
            {
                await route.AbortAsync("connectionreset");
                return;
            }
            sizes.Add(route.Request.PostDataBuffer?.Length ?? 0);
            await route.ContinueAsync();
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await page.WaitForURLAsync("**/Activities#a*", new() { Timeout = 30_000 });

        var card = page.GetByTestId("timeline").Locator("li", new() { HasText = title });
        await Expect(card.GetByTestId("photo")).ToHaveCountAsync(2);
        Assert.Equal(4, attempts);
        Assert.All(sizes, size => Assert.True(size is > 0 and < 1_000_000, $"a photo of {size} bytes was sent: not scaled on the phone"));
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"the activity records are {width}px wide on a 360px phone");
        await browser.ScreenshotAsync(page, "activities-cadre-phone-zh");

        var reviewer = await browser.PhoneAsync();
        await SignInAsync(reviewer, "reviewer.jianguolu");
        await reviewer.GetByTestId("tab-records").ClickAsync();
        var seen = reviewer.GetByTestId("timeline").Locator("li", new() { HasText = title });
        await Expect(seen).ToContainTextAsync("锦绣社区");
        await Expect(reviewer.Locator("main")).ToContainTextAsync("下级单位开展的活动");
        await Expect(reviewer.GetByTestId("record-activity")).ToHaveCountAsync(0);  // reviewers read; the unit records
        await Expect(seen.GetByTestId("photo")).ToHaveCountAsync(2);
        await browser.ScreenshotAsync(reviewer, "activities-reviewer-phone-zh");
        foreach (var path in photos)
        {
            File.Delete(path);
        }
    }
}
