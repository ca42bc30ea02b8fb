using BoneMetRT.Api.Features.Smart;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// Checks the settings of section <c>BoneMetRT</c> when the service starts, so that a wrong value stops it with a
/// message naming the key instead of failing on the first request (or, worse, running unprotected).
/// </summary>
public sealed class BoneMetRTOptionsValidator(IHostEnvironment environment) : IValidateOptions<BoneMetRTOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BoneMetRTOptions options)
    {
        var failures = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(message);
            }
        }

        Check(options.MaxRequestBytes > 0, "BoneMetRT:MaxRequestBytes must be positive.");
        Check(options.MaxBundleEntries > 0, "BoneMetRT:MaxBundleEntries must be positive.");
        Check(options.CordAlphaBetaGy > 0, "BoneMetRT:CordAlphaBetaGy must be positive.");
        Check(options.Engine.PoorPerformanceEcog is >= 0 and <= 5, "BoneMetRT:Engine:PoorPerformanceEcog must be 0 to 5.");
        Check(options.Engine.PoorPerformanceKarnofsky is >= 0 and <= 100, "BoneMetRT:Engine:PoorPerformanceKarnofsky must be 0 to 100.");
        Check(options.Engine.PostOperativeHorizonDays >= 21,
            "BoneMetRT:Engine:PostOperativeHorizonDays must be at least 21 (the end of the post-operative window).");
        Check(options.Terminology.Problem() is null, options.Terminology.Problem() ?? "");
        Check(options.Load.MaxConcurrentRequests is null or > 0, "BoneMetRT:Load:MaxConcurrentRequests must be positive (or empty: one per core).");
        Check(options.Load.QueueLimit is null or >= 0, "BoneMetRT:Load:QueueLimit must be zero or more (or empty: 16 per core).");
        Check(options.Load.QueueTimeoutSeconds > 0, "BoneMetRT:Load:QueueTimeoutSeconds must be positive.");
        Check(options.Load.RetryAfterSeconds > 0, "BoneMetRT:Load:RetryAfterSeconds must be positive.");
        Check(options.FhirServer.PageSize > 0, "BoneMetRT:FhirServer:PageSize must be positive.");
        Check(options.FhirServer.MaxPages > 0, "BoneMetRT:FhirServer:MaxPages must be positive.");
        Check(options.FhirServer.TimeoutSeconds > 0, "BoneMetRT:FhirServer:TimeoutSeconds must be positive.");
        Check(options.FhirServer.MaxReadBytes > 0, "BoneMetRT:FhirServer:MaxReadBytes must be positive.");
        Check(options.FhirServer.BaseUrl.Length == 0 || Uri.TryCreate(options.FhirServer.BaseUrl, UriKind.Absolute, out var fhir) && fhir.Scheme is "http" or "https",
            "BoneMetRT:FhirServer:BaseUrl must be an absolute http(s) URL.");
        Check(options.Auth.ClockSkewSeconds is >= 0 and <= 60, "BoneMetRT:Auth:ClockSkewSeconds must be between 0 and 60.");
        Check(options.Auth.AlgorithmList.Count > 0 && options.Auth.AlgorithmList.All(a => a is "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" or "ES256" or "ES384" or "ES512"),
            "BoneMetRT:Auth:Algorithms must list asymmetric JWS algorithms only (RS256, ES256, PS256, …): never none or HMAC.");
        Check(options.SmartApp.AllowedEhrs.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(u => IsHttpUrl(u) && !u.Contains('?', StringComparison.Ordinal) && !u.Contains('#', StringComparison.Ordinal)),
            "BoneMetRT:SmartApp:AllowedEhrs must hold absolute http(s) FHIR base URLs, separated by spaces.");
        Check(options.SmartApp.ConnectOrigins.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(IsOrigin),
            "BoneMetRT:SmartApp:ConnectOrigins must hold http(s) origins (scheme://host[:port]), separated by spaces.");
        var ancestors = options.SmartApp.FrameAncestors.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Check(ancestors is ["'none'"] || (ancestors.Length > 0 && ancestors.All(a => a == "'self'" || IsOrigin(a))),
            "BoneMetRT:SmartApp:FrameAncestors must be 'none', or 'self' and/or http(s) origins (no wildcard).");
        Check(options.Auth.IntrospectionEndpoint.Length == 0 || (IsHttpUrl(options.Auth.IntrospectionEndpoint)
                && (options.Auth.IntrospectionEndpoint.StartsWith("https://", StringComparison.Ordinal) || !options.Auth.RequireHttpsMetadata)),
            "BoneMetRT:Auth:IntrospectionEndpoint must be an https URL (http only with RequireHttpsMetadata=false).");
        Check(options.Audit.Sink is "log" or "file" or "none", "BoneMetRT:Audit:Sink must be log, file or none.");
        Check(options.Audit.Sink != "file" || options.Audit.FilePath.Length > 0, "BoneMetRT:Audit:FilePath is needed with BoneMetRT:Audit:Sink=file.");
        // Without token checks the instance-level operation reads patient data for anyone who asks: a local tool only.
        Check(!options.Auth.Disabled || environment.IsDevelopment(),
            $"BoneMetRT:Auth:Disabled=true is refused outside the Development environment (this one is {environment.EnvironmentName}).");
        Check(options.Auth.RequireToken != true || SmartAuth.TokensChecked(options.Auth) || options.Auth.Disabled,
            "BoneMetRT:Auth:RequireToken is on (the default outside Development) but no authorization server is configured "
            + "(BoneMetRT:Auth:Authority): every request would be refused. Configure it, or set BoneMetRT:Auth:RequireToken=false "
            + "for a public test deployment without patient data.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0 && !value.Contains('*', StringComparison.Ordinal);

    /// <summary>scheme://host[:port] and nothing else: what CSP source lists and origin comparisons need.</summary>
    private static bool IsOrigin(string value) =>
        IsHttpUrl(value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && value.TrimEnd('/') == uri.GetLeftPart(UriPartial.Authority);
}
