using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

// First load of the dashboard in a cold headless Chromium (new profile, empty cache): bytes transferred (what crossed
// the wire, compressed, headers included, from the DevTools protocol) and the time until the sign-in form can be used.
// Usage: dotnet run --project bench/Parley.Bench.Dashboard -c Release -- http://127.0.0.1:5080 [runs]
var server = args.Length > 0 ? args[0].TrimEnd('/') : "http://127.0.0.1:5080";
var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

var results = new List<(long Bytes, double Milliseconds, int Requests)>();
for (var run = 0; run < runs; run++)
{
    await using var context = await browser.NewContextAsync();
    var page = await context.NewPageAsync();
    var cdp = await context.NewCDPSessionAsync(page);
    long bytes = 0;
    var requests = 0;
    cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
    {
        if (e is JsonElement body && body.TryGetProperty("encodedDataLength", out var length))
        {
            Interlocked.Add(ref bytes, (long)length.GetDouble());
            Interlocked.Increment(ref requests);
        }
    };
    await cdp.SendAsync("Network.enable");
    await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });

    var clock = Stopwatch.StartNew();
    await page.GotoAsync(server + "/app/login");
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).WaitForAsync(new() { Timeout = 60_000 });
    var interactive = clock.Elapsed.TotalMilliseconds;
    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    results.Add((Interlocked.Read(ref bytes), interactive, requests));
    Console.WriteLine($"run {run + 1}: {bytes / 1024.0 / 1024.0:F2} MB ({bytes:N0} B) in {requests} requests, sign-in form usable after {interactive:F0} ms");
}

var ordered = results.OrderBy(r => r.Milliseconds).ToList();
Console.WriteLine($"median: {results.OrderBy(r => r.Bytes).ElementAt(runs / 2).Bytes / 1024.0 / 1024.0:F2} MB transferred, interactive after {ordered[runs / 2].Milliseconds:F0} ms (of {runs} cold runs)");
