using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// Response headers that protect callers: FHIR answers (successes and OperationOutcomes alike) are never cached
/// (<c>no-store</c>: they hold patient data) nor sniffed into another type (<c>nosniff</c>); the SMART app gets a CSP
/// without wildcards whose <c>connect-src</c> names the allowed EHRs; HSTS is sent over HTTPS outside Development.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Adds the FHIR answers' headers; call before the error handler, whose Clear() would drop headers set earlier.</summary>
    public static IApplicationBuilder UseFhirResponseHeaders(this IApplicationBuilder app, string basePath) => app.Use((context, next) =>
    {
        if (IsUnderBase(context.Request, basePath))
        {
            // OnStarting: after the error handler's Clear(), just before the headers go out.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
        }

        return next(context);
    });

    /// <summary>Whether the request is for the FHIR base path (given with or without slashes, as the setting allows).</summary>
    public static bool IsUnderBase(HttpRequest request, string basePath) =>
        basePath.Trim('/') is not { Length: > 0 } path || request.Path.StartsWithSegments("/" + path);

    /// <summary>The app's Content-Security-Policy: only its own files, and connections to itself and the allowed EHRs.</summary>
    public static string AppContentSecurityPolicy(BoneMetRTOptions options)
    {
        var connect = new List<string> { "'self'" };
        var origins = options.SmartApp.AllowedEhrList(options.FhirServer)
            .Append(options.Auth.Authority)
            .Concat(options.SmartApp.ConnectOrigins.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var url in origins)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                var origin = uri.GetLeftPart(UriPartial.Authority);
                if (!connect.Contains(origin))
                {
                    connect.Add(origin);
                }
            }
        }

        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + $"connect-src {string.Join(' ', connect)}; frame-ancestors {options.SmartApp.FrameAncestors}; "
            + "form-action 'none'; object-src 'none'; base-uri 'none'";
    }

    /// <summary>The headers of every file of the app and of its config.json.</summary>
    public static void ApplyAppHeaders(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<BoneMetRTOptions>>().Value;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.ContentSecurityPolicy = AppContentSecurityPolicy(options);
        // The redirect URI carries the authorization code and state: no Referer to anyone.
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (options.SmartApp.FrameAncestors == "'none'")
        {
            context.Response.Headers.XFrameOptions = "DENY"; // for browsers without frame-ancestors
        }
    }
}
