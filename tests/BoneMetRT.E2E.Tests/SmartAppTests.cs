using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BoneMetRT.E2E.Tests;

/// <summary>The SMART app as a clinician uses it, in headless Chromium, against the test EHR.</summary>
public sealed class SmartAppTests(SandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<SandboxFixture>
{
    private async Task<IPage> NewPageAsync(string locale)
    {
        var context = await sandbox.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                output.WriteLine($"browser console: {m.Text}");
            }
        };
        var clock = Stopwatch.StartNew();
        page.Request += (_, r) => output.WriteLine($"TRACE {clock.Elapsed.TotalSeconds:F2} > {r.Method} {r.Url}");
        page.Response += (_, r) => output.WriteLine($"TRACE {clock.Elapsed.TotalSeconds:F2} < {r.Status} {r.Url}");
        return page;
    }

    private static async Task WaitForResultAsync(IPage page)
    {
        // The service's first assessment loads the FHIR definitions for validation (about 15 s here): allow for it.
        await page.WaitForSelectorAsync("body[data-state=assessed], body[data-state=failed]", new PageWaitForSelectorOptions { Timeout = 120_000 });
        var state = await page.GetAttributeAsync("body", "data-state");
        Assert.True(state == "assessed", $"the app says: {await page.TextContentAsync("#status")} {await page.TextContentAsync("#result")}");
    }

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(E2E.Artefacts, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    [SkippableFact(E2E.SkipBrowserVariable)]
    public async Task A_launch_against_an_EHR_off_the_allow_list_or_in_open_server_mode_is_refused()
    {
        var page = await NewPageAsync("en-GB");
        var requested = new List<string>();
        page.Request += (_, r) => requested.Add(r.Url);

        // An iss that is not an allowed EHR: refused before anything is fetched from it.
        const string evil = "http://127.0.0.1:9/fhir";
        await page.GotoAsync($"{sandbox.ApiUrl}/app/launch.html?iss={Uri.EscapeDataString(evil)}&launch=x");
        await page.WaitForSelectorAsync("body[data-state=refused]");
        Assert.Contains("http://127.0.0.1:9 is not an EHR", await page.TextContentAsync("#status"), StringComparison.Ordinal);

        // fhirclient's open-server mode (no OAuth, no PKCE) from the URL: refused, even towards the allowed EHR.
        await page.GotoAsync($"{sandbox.ApiUrl}/app/launch.html?fhirServiceUrl={Uri.EscapeDataString(sandbox.EhrUrl + "/fhir")}&patientId=fracture-femur-mirels-8");
        await page.WaitForSelectorAsync("body[data-state=refused]");
        Assert.Contains("fhirServiceUrl, patientId", await page.TextContentAsync("#status"), StringComparison.Ordinal);

        // The app's page without an authorization from the launch: nothing is read or assessed.
        await page.GotoAsync($"{sandbox.ApiUrl}/app/index.html");
        await page.WaitForSelectorAsync("body[data-state=refused], body[data-state=failed]");

        Assert.DoesNotContain(requested, u => u.StartsWith("http://127.0.0.1:9/", StringComparison.Ordinal));
        Assert.DoesNotContain(requested, u => u.StartsWith(sandbox.EhrUrl, StringComparison.Ordinal));
        Assert.DoesNotContain(requested, u => u.Contains("$assess", StringComparison.Ordinal));
        await ShotAsync(page, "launch-refused.png");
    }

    [SkippableFact(E2E.SkipBrowserVariable)]
    public async Task EHR_launch_shows_the_Mirels_score_of_the_femur_patient_in_English_then_French()
    {
        var watch = Stopwatch.StartNew();
        var page = await NewPageAsync("en-GB");

        // The clinician opens the patient in the EHR and launches BoneMetRT; the EHR asks for approval.
        await page.GotoAsync($"{sandbox.EhrUrl}/");
        await page.ClickAsync("a[href='/ehr/launch?patient=fracture-femur-mirels-8']");
        await page.WaitForSelectorAsync("#approve");
        var asked = await page.Locator("li code").AllTextContentsAsync();
        Assert.Equal(["launch", "launch/patient", "openid", "fhirUser", "patient/Observation.rs", "patient/Condition.rs", "patient/Procedure.rs"], asked);
        Assert.Equal("Sophie Marchand", await page.TextContentAsync("#patient-name"));
        await ShotAsync(page, "ehr-launch-approval.png");
        output.WriteLine($"step: approval page after {watch.Elapsed.TotalSeconds:F1} s");
        await page.ClickAsync("#approve");

        // Back in the app (index.html): data read from the EHR over several pages, assessed by the service.
        await WaitForResultAsync(page);
        output.WriteLine($"step: English result after {watch.Elapsed.TotalSeconds:F1} s");
        Assert.StartsWith($"{sandbox.ApiUrl}/app/index.html", page.Url, StringComparison.Ordinal);
        Assert.Equal("fracture-femur-mirels-8", await page.TextContentAsync("#patient-id"));
        Assert.Equal(sandbox.EhrUrl, await page.TextContentAsync("#ehr-origin")); // where the data came from
        Assert.Contains("6 observations", await page.TextContentAsync("#status"), StringComparison.Ordinal);

        var mirels = page.Locator("[data-score=mirels-score]");
        Assert.Equal("8", await mirels.GetAttributeAsync("data-total"));
        Assert.Equal("mirels-tumour-board", await mirels.Locator(".band").GetAttributeAsync("data-band"));
        Assert.Equal(4, await mirels.Locator("tbody tr").CountAsync());
        var points = await mirels.Locator("tbody td.num").AllTextContentsAsync();
        Assert.Equal(["2", "2", "2", "2"], points);
        Assert.Contains("15 %", await mirels.Locator(".risk").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Right femur", await mirels.Locator("h3").TextContentAsync(), StringComparison.Ordinal);

        Assert.Equal("fracture-prevention", await page.Locator("#situations .situation").First.GetAttributeAsync("data-code"));
        Assert.Equal("tumour-board-review", await page.Locator("#recommendations li.rec").First.GetAttributeAsync("data-code"));
        var regimens = page.Locator("#recommendations li.regimen");
        Assert.Equal("preferred", await regimens.First.GetAttributeAsync("data-preference"));
        Assert.Equal("rt-30gy-10fx", await regimens.First.GetAttributeAsync("data-regimen"));
        Assert.Contains("30 Gy in 10 fractions", await regimens.First.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("whole involved bone", await page.TextContentAsync("#target-volume"), StringComparison.Ordinal);
        Assert.Equal("guideline.html#s2", await page.Locator("#scores .guideline-link").First.GetAttributeAsync("href"));
        Assert.Equal(0, await page.Locator("#write-back").CountAsync());
        await ShotAsync(page, "ehr-launch-femur-mirels-8-en.png");

        // The language toggle: interface and the service's texts in French.
        await page.ClickAsync("#lang-fr");
        await page.WaitForFunctionAsync("() => document.documentElement.lang === 'fr' && document.body.dataset.state === 'assessed' && document.querySelector('[data-score] h3')?.textContent.includes('Score de Mirels')");
        Assert.Equal("Recommandations", await page.TextContentAsync("#recommendations h2"));
        Assert.Contains("30 Gy en 10 fractions", await page.Locator("#recommendations li.regimen").First.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("8", await page.Locator("[data-score=mirels-score]").GetAttributeAsync("data-total"));
        await ShotAsync(page, "ehr-launch-femur-mirels-8-fr.png");
        output.WriteLine($"timing: sandbox start {sandbox.StartSeconds:F1} s, EHR launch to French result {watch.Elapsed.TotalSeconds:F1} s");
    }

    [SkippableFact(E2E.SkipBrowserVariable)]
    public async Task Standalone_launch_with_the_patient_picked_in_the_EHR_shows_Rades_group_III_and_the_post_operative_window()
    {
        var watch = Stopwatch.StartNew();
        var page = await NewPageAsync("fr-FR");

        // Opened directly: the app uses its configured FHIR server, and the EHR asks which patient.
        await page.GotoAsync($"{sandbox.ApiUrl}/app/launch.html");
        await page.WaitForSelectorAsync("select#patient");
        await page.SelectOptionAsync("select#patient", "combined-mscc-postoperative-vertebra");
        await page.ClickAsync("#approve");
        await WaitForResultAsync(page);

        // The browser is French: so is the app. The example is dated 2026-03-16: assess on that date.
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        await page.FillAsync("#assessment-date", "2026-03-16");
        await page.ClickAsync("#recompute");
        await page.WaitForSelectorAsync("#postop-window li[data-start='2026-03-14']");

        var rades = page.Locator("[data-score=rades-score]");
        Assert.Equal("39", await rades.GetAttributeAsync("data-total"));
        Assert.Equal("rades-group-3", await rades.Locator(".band").GetAttributeAsync("data-band"));
        Assert.Equal(5, await rades.Locator("tbody tr").CountAsync());
        Assert.Equal("2026-03-20", await page.Locator("#postop-window li").First.GetAttributeAsync("data-end"));
        Assert.Equal(["mscc", "postoperative"], await page.Locator("#situations .situation").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.code)"));
        Assert.Contains("urgent", await page.Locator("#recommendations li.regimen").First.TextContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "standalone-mscc-postoperative-fr.png");
        output.WriteLine($"timing: standalone launch to result {watch.Elapsed.TotalSeconds:F1} s");
    }
}
