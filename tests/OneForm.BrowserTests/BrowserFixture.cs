using Microsoft.Playwright;
using OneForm.Data;
using OneForm.Testing;

namespace OneForm.BrowserTests;

/// <summary>
/// The demo on a real Kestrel port and Debian's Chromium driven by Playwright (no browser download).
/// Screenshots of the pages go to <c>artifacts/screenshots/</c>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public OneFormHost Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string Screenshots { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        Host = await OneFormHost.StartAsync(DatabaseProvider.Sqlite, demo: true, kestrel: true);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The machine has no network beyond loopback: keep Chromium from calling home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh phone-sized browser (360 wide, <paramref name="height"/> high, touch) on the app, with no cookies.</summary>
    public async Task<IPage> PhoneAsync(int height = 740)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.ServerAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 360, Height = height },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
        });
        return await context.NewPageAsync();
    }

    /// <summary>A desktop-sized browser, as the administrator at a desk uses.</summary>
    public async Task<IPage> DesktopAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.ServerAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>The whole page, or only what the screen shows (<paramref name="fullPage"/> false) where the page holds thousands of rows.</summary>
    public Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = fullPage });

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
        await Host.DisposeAsync();
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OneForm.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? Path.GetTempPath();
    }
}

[CollectionDefinition(nameof(BrowserCollection))]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;

/// <summary>
/// The page sweep's own app and Chromium: it is the longest test by far, so it runs beside the others (on the second
/// core) rather than after them, and it looks at the demo as every role first meets it, whatever the other tests did.
/// </summary>
[CollectionDefinition(nameof(SweepCollection))]
public sealed class SweepCollection : ICollectionFixture<BrowserFixture>;
