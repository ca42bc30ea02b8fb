using Microsoft.Extensions.Options;

namespace BoneMetRT.TestEhr;

/// <summary>
/// The BoneMetRT test EHR: a stand-in EHR to try the SMART app by hand and to test it end to end. It serves the
/// patients of <c>examples/valid</c> over FHIR search, and is a SMART App Launch 2.x authorization server.
/// Not a real EHR: data in memory, one public client, a key made at start-up.
/// </summary>
public class Program
{
    /// <summary>Runs the EHR (<c>--urls http://127.0.0.1:8090</c> and <c>--TestEhr:PublicUrl=...</c> as needed).</summary>
    public static void Main(string[] args) => Build(args).Run();

    /// <summary>Builds the application.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<TestEhrOptions>(builder.Configuration.GetSection("TestEhr"));
        builder.Services.AddSingleton<Tokens>();
        builder.Services.AddSingleton<AuthState>();
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TestEhrOptions>>().Value;
            var env = sp.GetRequiredService<IWebHostEnvironment>();
            var folder = o.ExamplesPath ?? PatientStore.FindExamples(env.ContentRootPath, AppContext.BaseDirectory)
                ?? throw new InvalidOperationException("examples/valid not found: set TestEhr:ExamplesPath.");
            return PatientStore.Load(folder);
        });

        // The app runs on another origin and calls the token endpoint and the FHIR API from the browser.
        builder.Services.AddCors(c => c.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod()));

        var app = builder.Build();
        app.UseCors();

        app.MapGet("/", (HttpRequest r, IOptions<TestEhrOptions> o, PatientStore store) =>
            Pages.Home(store.Patients, o.Value.AppLaunchUrl, EhrUrls.Of(r, o.Value).FhirBase));

        // EHR launch: the EHR opens the app with its FHIR base (iss) and an opaque launch context. auto_approve=1 makes
        // /authorize skip its approval page (for automated tests).
        app.MapGet("/ehr/launch", (string? patient, string? auto_approve, HttpRequest r, IOptions<TestEhrOptions> o, PatientStore store, AuthState state) =>
        {
            if (patient is null || store.Read("Patient", patient) is null)
            {
                return Pages.Error(404, "Unknown patient.", "Patient inconnu.");
            }

            var launch = AuthState.NewHandle();
            state.Launches[launch] = new LaunchContext(patient, auto_approve is "1" or "true", DateTimeOffset.UtcNow.AddMinutes(10));
            return Results.Redirect(AuthServer.WithQuery(o.Value.AppLaunchUrl, ("iss", EhrUrls.Of(r, o.Value).FhirBase), ("launch", launch)));
        });

        app.MapAuthServer();
        app.MapFhirApi();
        return app;
    }
}
