using System.Net;
using System.Text;

namespace BoneMetRT.TestEhr;

/// <summary>The EHR's few HTML pages, every text in English and French.</summary>
public static class Pages
{
    private static string H(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static IResult Page(int status, string title, string body) => Results.Content($$"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{H(title)}}</title><link rel="icon" href="data:,">
        <style>
          body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d2733; }
          .banner { background: #fff4d6; border: 1px solid #e0b94d; padding: .6rem 1rem; border-radius: 6px; }
          table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #dde3ea; padding: .4rem; text-align: left; }
          .fr { color: #53606e; } button, .button { display: inline-block; white-space: nowrap; padding: .4rem .8rem; border-radius: 4px; border: 1px solid #2b5d8c; background: #2b6cb0; color: #fff; cursor: pointer; text-decoration: none; font-size: .95rem; }
          button.secondary { background: #fff; color: #2b5d8c; } code { background: #eef2f6; padding: 0 .2rem; }
        </style></head>
        <body>
        <p class="banner">Test EHR for BoneMetRT — fictitious patients, not for clinical use. <span class="fr">DPI de test pour BoneMetRT — patients fictifs, pas d'usage clinique.</span></p>
        {{body}}
        </body></html>
        """, "text/html; charset=utf-8", Encoding.UTF8, status);

    /// <summary>The EHR's home page: the patient list, each with an EHR launch of BoneMetRT.</summary>
    public static IResult Home(IReadOnlyList<EhrPatient> patients, string appLaunchUrl, string fhirBase)
    {
        var rows = new StringBuilder();
        foreach (var p in patients)
        {
            rows.Append($"""
                <tr><td>{H(p.Name)}</td><td><code>{H(p.Id)}</code></td><td>{H(p.Scenario)}</td><td>{H(p.ExampleDate)}</td>
                <td><a class="button" href="/ehr/launch?patient={Uri.EscapeDataString(p.Id)}">Launch BoneMetRT · Lancer BoneMetRT</a></td></tr>
                """);
        }

        return Page(200, "BoneMetRT test EHR", $"""
            <h1>Patients <span class="fr">· Patients</span></h1>
            <p>Open BoneMetRT for a patient (SMART EHR launch). The examples are dated: set the app's assessment date to the
               example's date to see the windows and intervals worked out for it.
               <br><span class="fr">Ouvrir BoneMetRT pour un patient (lancement SMART depuis le DPI). Les exemples sont datés : régler la date
               d'évaluation de l'application sur celle de l'exemple pour retrouver les fenêtres et intervalles calculés pour lui.</span></p>
            <table><thead><tr><th>Name · Nom</th><th>Id</th><th>Scenario · Scénario</th><th>Example date · Date de l'exemple</th><th></th></tr></thead>
            <tbody>{rows}</tbody></table>
            <p>Standalone launch · Lancement autonome : <a href="{H(appLaunchUrl)}?iss={Uri.EscapeDataString(fhirBase)}">{H(appLaunchUrl)}</a>
            — FHIR base · base FHIR : <code>{H(fhirBase)}</code></p>
            """);
    }

    /// <summary>The approval page of <c>/authorize</c>: who the app is, the scopes, the patient (picked here in a standalone launch).</summary>
    public static IResult Approve(IReadOnlyDictionary<string, string> request, IReadOnlyList<string> scopes, string? patient, IReadOnlyList<EhrPatient> patients)
    {
        var hidden = new StringBuilder();
        foreach (var (k, v) in request.Where(x => x.Key is not ("decision" or "patient" or "auto_approve")))
        {
            hidden.Append($"""<input type="hidden" name="{H(k)}" value="{H(v)}">""");
        }

        string picker;
        if (patient is not null)
        {
            var p = patients.FirstOrDefault(x => x.Id == patient);
            picker = $"""<p>Patient: <strong id="patient-name">{H(p?.Name ?? patient)}</strong> <code>{H(patient)}</code></p><input type="hidden" name="patient" value="{H(patient)}">""";
        }
        else
        {
            var options = string.Concat(patients.Select(x => $"""<option value="{H(x.Id)}">{H(x.Name)} — {H(x.Scenario)}</option>"""));
            picker = $"""<p><label>Choose the patient · Choisir le patient : <select name="patient" id="patient">{options}</select></label></p>""";
        }

        var list = string.Concat(scopes.Select(s => $"<li><code>{H(s)}</code></li>"));
        return Page(200, "Authorize · Autoriser", $"""
            <h1>Authorize <code>{H(request.GetValueOrDefault("client_id"))}</code> <span class="fr">· Autoriser</span></h1>
            <form method="post" action="/authorize">
            {hidden}
            {picker}
            <p>The app asks for · L'application demande :</p><ul>{list}</ul>
            <p><button id="approve" name="decision" value="approve">Approve · Autoriser</button>
               <button id="deny" class="secondary" name="decision" value="deny">Deny · Refuser</button></p>
            </form>
            """);
    }

    /// <summary>An error page (requests that cannot be sent back to a redirect URI).</summary>
    public static IResult Error(int status, string en, string fr) =>
        Page(status, "Error · Erreur", $"<h1>Error <span class=\"fr\">· Erreur</span></h1><p>{H(en)}<br><span class=\"fr\">{H(fr)}</span></p>");
}
