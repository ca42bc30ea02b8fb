using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BoneMetRT.E2E.Tests;

/// <summary>With <c>BoneMetRT:SmartApp:WriteBack</c> on: the clinician confirms, and the proposal is saved in the EHR as drafts.</summary>
public sealed class WriteBackTests(WriteBackSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<WriteBackSandboxFixture>
{
    private const string Patient = "pat-humerus-7";

    [SkippableFact(E2E.SkipBrowserVariable)]
    public async Task After_confirmation_the_proposal_is_saved_in_the_EHR_with_its_references_resolved()
    {
        Assert.Empty(sandbox.EhrStore.Search("CarePlan", Patient));
        var context = await sandbox.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB" });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{sandbox.EhrUrl}/");
        await page.ClickAsync($"a[href='/ehr/launch?patient={Patient}']");
        await page.WaitForSelectorAsync("#approve");
        Assert.Contains("patient/CarePlan.c", await page.TextContentAsync("body"), StringComparison.Ordinal);
        await page.ClickAsync("#approve");
        await page.WaitForSelectorAsync("body[data-state=assessed]", new PageWaitForSelectorOptions { Timeout = 120_000 });
        Assert.Equal("7", await page.Locator("[data-score=mirels-score]").GetAttributeAsync("data-total"));

        // Nothing is saved before the clinician confirms.
        Assert.True(await page.IsDisabledAsync("#save"));
        await page.CheckAsync("#confirm-review");
        await page.ClickAsync("#save");
        await page.WaitForSelectorAsync("body[data-saved]");
        Assert.True(await page.GetAttributeAsync("body", "data-saved") == "true", await page.TextContentAsync("#save-status"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2E.Artefacts, "write-back-humerus-mirels-7.png"), FullPage = true });
        var saved = await page.TextContentAsync("#save-status") ?? "";
        output.WriteLine(saved);

        // In the EHR: one draft CarePlan whose activities point at saved RequestGroups (each choosing among saved regimen
        // ServiceRequests), and the score with its risk.
        var plan = Assert.Single(sandbox.EhrStore.Search("CarePlan", Patient));
        Assert.Equal("draft", plan["status"]!.GetValue<string>());
        // The engine is the author: its Device is saved (one per engine version, found again by its identifier).
        var device = Assert.Single(sandbox.EhrStore.All("Device"));
        var engine = $"Device/{device["id"]!.GetValue<string>()}";
        Assert.Equal(engine, plan["author"]!["reference"]!.GetValue<string>());
        var activities = plan["activity"]!.AsArray().Select(a => a!["reference"]?["reference"]?.GetValue<string>()).OfType<string>().ToList();
        Assert.NotEmpty(activities);
        Assert.All(activities, r =>
        {
            var group = sandbox.EhrStore.Read("RequestGroup", r.Split('/')[1]);
            Assert.NotNull(group);
            var options = group!["action"]!.AsArray().SelectMany(a => a!["action"]?.AsArray() ?? []).Select(o => o!["resource"]!["reference"]!.GetValue<string>()).ToList();
            Assert.NotEmpty(options);
            Assert.All(options, o => Assert.NotNull(sandbox.EhrStore.Read("ServiceRequest", o.Split('/')[1])));
        });
        var score = Assert.Single(sandbox.EhrStore.Search("Observation", Patient), o => o["code"]!["coding"]![0]!["code"]!.GetValue<string>() == "mirels-score");
        Assert.Equal(7, score["valueInteger"]!.GetValue<int>());
        Assert.Equal("preliminary", score["status"]!.GetValue<string>()); // a reviewed proposal, never final
        Assert.Equal(engine, score["device"]!["reference"]!.GetValue<string>());
        var risk = Assert.Single(sandbox.EhrStore.Search("RiskAssessment", Patient));
        Assert.Equal("preliminary", risk["status"]!.GetValue<string>());
        Assert.Equal(engine, risk["performer"]!["reference"]!.GetValue<string>());
        // The choices and the regimens are drafts too, with the engine as their author.
        Assert.All(activities, r =>
        {
            var group = sandbox.EhrStore.Read("RequestGroup", r.Split('/')[1])!;
            Assert.Equal("draft", group["status"]!.GetValue<string>());
            Assert.Equal(engine, group["author"]!["reference"]!.GetValue<string>());
            var options = group["action"]!.AsArray().SelectMany(a => a!["action"]?.AsArray() ?? []).Select(o => o!["resource"]!["reference"]!.GetValue<string>());
            Assert.All(options, o => Assert.Equal("draft", sandbox.EhrStore.Read("ServiceRequest", o.Split('/')[1])!["status"]!.GetValue<string>()));
        });

        // One Provenance: the engine as author, the clinician as enterer, every saved resource as a target.
        var provenance = Assert.Single(sandbox.EhrStore.Search("Provenance", Patient));
        var targets = provenance["target"]!.AsArray().Select(t => t!["reference"]!.GetValue<string>()).ToList();
        Assert.Contains($"CarePlan/{plan["id"]!.GetValue<string>()}", targets);
        Assert.Contains($"Observation/{score["id"]!.GetValue<string>()}", targets);
        var agents = provenance["agent"]!.AsArray().Select(a => a!["type"]!["coding"]![0]!["code"]!.GetValue<string>()).ToList();
        Assert.Contains("enterer", agents);
        Assert.Contains(provenance["agent"]!.AsArray(), a => a!["who"]!["reference"]!.GetValue<string>() == engine);
        Assert.Equal($"Observation/{score["id"]!.GetValue<string>()}", risk["basis"]![0]!["reference"]!.GetValue<string>());
        Assert.Contains($"CarePlan/{plan["id"]!.GetValue<string>()}", saved, StringComparison.Ordinal);

        // Assessed again and saved again: the same assessment, so the EHR creates nothing.
        var counts = Counts();
        await page.ClickAsync("#recompute");
        await page.WaitForSelectorAsync("#confirm-review:not([disabled])"); // the new answer's card
        await page.CheckAsync("#confirm-review");
        await page.ClickAsync("#save");
        await page.WaitForFunctionAsync("() => /: 0 /.test(document.getElementById('save-status')?.textContent ?? '')");
        output.WriteLine(await page.TextContentAsync("#save-status"));
        Assert.Equal(counts, Counts());
    }

    private string Counts() => string.Join(' ', new[] { "CarePlan", "RequestGroup", "ServiceRequest", "RiskAssessment", "Observation", "Provenance" }
        .Select(t => $"{t}={sandbox.EhrStore.Search(t, Patient).Count}").Append($"Device={sandbox.EhrStore.All("Device").Count}"));
}
