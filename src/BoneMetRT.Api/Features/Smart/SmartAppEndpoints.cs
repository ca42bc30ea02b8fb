using System.Text.Json.Nodes;
using BoneMetRT.Api.Infrastructure;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features.Smart;

/// <summary>
/// The SMART app at <c>/app/</c>: static files of <c>wwwroot/app</c> (<c>launch.html</c> the launch URL,
/// <c>index.html</c> the redirect URI; the JavaScript is built from <c>ClientApp/</c>), and <c>/app/config.json</c>
/// with the registration settings of <c>BoneMetRT:SmartApp</c> and the default FHIR server for a standalone launch.
/// </summary>
public static class SmartAppEndpoints
{
    /// <summary>Serves the app.</summary>
    public static WebApplication MapSmartApp(this WebApplication app)
    {
        // "/app" → "/app/" (a route would also match "/app/" and shadow the static index.html).
        app.Use((context, next) =>
        {
            if (context.Request.Path.Value == "/app" && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Redirect("/app/" + context.Request.QueryString);
                return Task.CompletedTask;
            }

            return next(context);
        });

        var folder = Path.Combine(app.Environment.WebRootPath ?? Path.Combine(app.Environment.ContentRootPath, "wwwroot"), "app");
        if (Directory.Exists(folder))
        {
            var files = new PhysicalFileProvider(folder);
            app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = "/app", FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = "/app",
                FileProvider = files,
                OnPrepareResponse = c =>
                {
                    // Always revalidate: a new version of the app is picked up at once.
                    c.Context.Response.Headers.CacheControl = "no-cache";
                    SecurityHeaders.ApplyAppHeaders(c.Context);
                },
            });
        }

        app.MapGet("/app/config.json", (HttpContext context, IOptions<BoneMetRTOptions> options) =>
        {
            var o = options.Value;
            SecurityHeaders.ApplyAppHeaders(context);
            context.Response.Headers.CacheControl = "no-store";
            var config = new JsonObject
            {
                ["clientId"] = o.SmartApp.ClientId,
                ["scope"] = o.SmartApp.WriteBack ? $"{o.SmartApp.Scope} {o.SmartApp.WriteScope}" : o.SmartApp.Scope,
                ["writeBack"] = o.SmartApp.WriteBack,
                ["fhirServerUrl"] = o.FhirServer.BaseUrl.TrimEnd('/'),
                // The app launches only against these (an iss elsewhere is refused), and shows which one it uses.
                ["allowedEhrs"] = new JsonArray([.. o.SmartApp.AllowedEhrList(o.FhirServer).Select(u => (JsonNode)JsonValue.Create(u))]),
                ["assessUrl"] = o.BasePath.TrimEnd('/') + "/$assess",
                ["writeBackUrl"] = "write-back",
                ["guidelineUrl"] = o.SmartApp.GuidelineUrl,
            };
            return Results.Text(config.ToJsonString(), "application/json; charset=utf-8");
        });
        app.MapWriteBack();
        return app;
    }
}
