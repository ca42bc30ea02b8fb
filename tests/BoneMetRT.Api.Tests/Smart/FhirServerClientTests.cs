using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Infrastructure;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// The server-side FHIR client against a fake FHIR server that misbehaves: redirects, oversized answers, next links
/// off the base, endless paging, slow pages and huge error texts. The token must never leave the configured base.
/// </summary>
public sealed class FhirServerClientTests
{
    private const string Base = "https://ehr.test/fhir";
    private const string Token = "secret-token";
    private static readonly (string, string?)[] Types = [("Condition", null), ("Observation", null)];

    /// <summary>A fake FHIR server: answers by a function of the request, and records every request with its Authorization.</summary>
    private sealed class FakeServer(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        public ConcurrentQueue<(string Url, string? Authorization)> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue((request.RequestUri!.ToString(), request.Headers.Authorization?.Parameter));
            return answer(request);
        }
    }

    private static FhirServerClient Client(FakeServer server, Action<FhirServerOptions>? settings = null)
    {
        var options = new BoneMetRTOptions { FhirServer = { BaseUrl = Base, TimeoutSeconds = 30 } };
        settings?.Invoke(options.FhirServer);
        return new FhirServerClient(new HttpClient(server), Options.Create(options));
    }

    private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/fhir+json") };

    private static string SearchPage(string type, int index, string? next)
    {
        var link = next is null ? "" : ",\"link\":[{\"relation\":\"next\",\"url\":\"" + next + "\"}]";
        return "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":{\"resourceType\":\"" + type + "\",\"id\":\"" + type + "-" + index
            + (type == "Observation" ? "\",\"status\":\"final\",\"code\":{\"text\":\"x\"}" : "\"")
            + ",\"subject\":{\"reference\":\"Patient/p1\"}}}]" + link + "}";
    }

    private static Task<HttpResponseMessage> Normal(HttpRequestMessage request)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path == "/fhir/Patient/p1")
        {
            return Task.FromResult(Json("""{"resourceType":"Patient","id":"p1"}"""));
        }

        var type = path.Split('/').Last();
        var page = request.RequestUri.Query.Contains("page=2", StringComparison.Ordinal) ? 2 : 1;
        return Task.FromResult(Json(SearchPage(type, page, page == 1 ? $"{Base}/{type}?patient=p1&page=2" : null)));
    }

    private static async Task<FhirRequestException> RefusedAsync(Func<Task> read, int status)
    {
        var error = await Assert.ThrowsAsync<FhirRequestException>(read);
        Assert.Equal(status, error.Status);
        Assert.False(string.IsNullOrWhiteSpace(error.Issue.Text.Fr));
        return error;
    }

    [Fact]
    public async Task Every_page_under_the_base_is_read_with_the_token()
    {
        var server = new FakeServer(Normal);

        var resources = await Client(server).ReadPatientDataAsync("p1", Types, Token, CancellationToken.None);

        Assert.Equal(["Patient/p1", "Condition/Condition-1", "Condition/Condition-2", "Observation/Observation-1", "Observation/Observation-2"],
            resources.Select(r => $"{r.TypeName}/{r.Id}"));
        Assert.Equal(5, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(Token, r.Authorization));
        Assert.All(server.Requests, r => Assert.StartsWith(Base + "/", r.Url, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HttpStatusCode.Found, "https://evil.test/fhir/Patient/p1")]
    [InlineData(HttpStatusCode.MovedPermanently, "https://ehr.test/fhir/Patient/p2")]
    [InlineData(HttpStatusCode.TemporaryRedirect, "/login")]
    public async Task A_redirect_is_not_followed_and_is_a_502(HttpStatusCode status, string location)
    {
        var server = new FakeServer(_ =>
        {
            var response = new HttpResponseMessage(status);
            response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
            return Task.FromResult(response);
        });

        var error = await RefusedAsync(() => Client(server).ReadPatientDataAsync("p1", Types, Token, CancellationToken.None), 502);

        Assert.Contains("redirects are not followed", error.Issue.Text.En, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void The_registered_client_does_not_follow_redirects()
    {
        using var factory = new TestSupport.ApiFactory();
        var handlers = factory.Services.GetRequiredService<IHttpMessageHandlerFactory>();
        var handler = handlers.CreateHandler(typeof(FhirServerClient).Name);

        // Through the delegating handlers down to the primary one.
        HttpMessageHandler current = handler;
        while (current is DelegatingHandler delegating)
        {
            current = delegating.InnerHandler!;
        }

        var primary = Assert.IsType<SocketsHttpHandler>(current);
        Assert.False(primary.AllowAutoRedirect);
    }

    [Theory]
    [InlineData("https://evil.test/fhir/Observation?page=2")]
    [InlineData("https://ehr.test/admin/export?page=2")]
    [InlineData("https://ehr.test/fhir-other/Observation?page=2")]
    [InlineData("https://ehr.test/fhir/../admin/Observation?page=2")]
    [InlineData("http://ehr.test/fhir/Observation?page=2")]
    [InlineData("https://ehr.test:8443/fhir/Observation?page=2")]
    [InlineData("https://user:pw@ehr.test/fhir/Observation?page=2")]
    public async Task A_next_link_outside_the_base_is_refused_and_never_gets_the_token(string next)
    {
        var server = new FakeServer(request => Task.FromResult(request.RequestUri!.AbsolutePath == "/fhir/Patient/p1"
            ? Json("""{"resourceType":"Patient","id":"p1"}""")
            : Json(SearchPage("Observation", 1, next))));

        var error = await RefusedAsync(() => Client(server).ReadPatientDataAsync("p1", [("Observation", null)], Token, CancellationToken.None), 502);

        Assert.Contains("next link", error.Issue.Text.En, StringComparison.Ordinal);
        Assert.All(server.Requests, r => Assert.StartsWith(Base + "/", r.Url, StringComparison.Ordinal));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_answer_over_the_byte_budget_is_a_502_without_reading_it_whole()
    {
        // 40 MB announced and streamed without a length: the client stops at the budget in both cases.
        var streamed = new CountingStream(40L * 1024 * 1024);
        var server = new FakeServer(request => Task.FromResult(request.RequestUri!.AbsolutePath == "/fhir/Patient/p1"
            ? Json("""{"resourceType":"Patient","id":"p1"}""")
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(streamed) }));

        var error = await RefusedAsync(() => Client(server, s => s.MaxReadBytes = 1024 * 1024).ReadPatientDataAsync("p1", [("Observation", null)], Token, CancellationToken.None), 502);

        Assert.Contains("MaxReadBytes", error.Issue.Text.En, StringComparison.Ordinal);
        Assert.True(streamed.Consumed <= 1024 * 1024 + 64 * 1024, $"read {streamed.Consumed} bytes");

        var declared = new FakeServer(_ =>
        {
            var response = Json("""{"resourceType":"Patient","id":"p1"}""");
            response.Content.Headers.ContentLength = 40L * 1024 * 1024;
            return Task.FromResult(response);
        });
        await RefusedAsync(() => Client(declared, s => s.MaxReadBytes = 1024 * 1024).ReadPatientDataAsync("p1", [("Observation", null)], Token, CancellationToken.None), 502);
    }

    [Fact]
    public async Task Paging_beyond_the_page_limit_is_a_502()
    {
        var pages = 0;
        var server = new FakeServer(request =>
        {
            if (request.RequestUri!.AbsolutePath == "/fhir/Patient/p1")
            {
                return Task.FromResult(Json("""{"resourceType":"Patient","id":"p1"}"""));
            }

            var n = Interlocked.Increment(ref pages);
            return Task.FromResult(Json(SearchPage("Observation", n, $"{Base}/Observation?patient=p1&page={n + 1}")));
        });

        var error = await RefusedAsync(() => Client(server, s => s.MaxPages = 4).ReadPatientDataAsync("p1", [("Observation", null)], Token, CancellationToken.None), 502);

        Assert.Contains("more than 4 pages", error.Issue.Text.En, StringComparison.Ordinal);
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task One_deadline_covers_every_page_of_the_read()
    {
        // Each page comes in 300 ms, well within a per-call time-out, but the pages never end: the whole read stops at 1 s.
        var server = new FakeServer(async request =>
        {
            await Task.Delay(300);
            return request.RequestUri!.AbsolutePath == "/fhir/Patient/p1"
                ? Json("""{"resourceType":"Patient","id":"p1"}""")
                : Json(SearchPage("Observation", 1, $"{Base}/Observation?patient=p1&page={Guid.NewGuid():N}"));
        });
        var watch = Stopwatch.StartNew();

        var error = await RefusedAsync(() => Client(server, s => { s.TimeoutSeconds = 1; s.MaxPages = 1000; })
            .ReadPatientDataAsync("p1", [("Observation", null)], Token, CancellationToken.None), 504);

        Assert.Equal(OperationOutcome.IssueType.Timeout, error.Issue.Type);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.InRange(server.Requests.Count, 1, 6); // 300 ms each for 1 s: the read stopped, it did not go on to MaxPages
    }

    [Fact]
    public async Task A_huge_broken_answer_is_quoted_only_in_a_short_excerpt()
    {
        var garbage = "{\"resourceType\":\"Patient\",\"id\":\"" + new string('A', 200_000) + "\", \"oops\": }";
        var server = new FakeServer(_ => Task.FromResult(Json(garbage)));

        var error = await RefusedAsync(() => Client(server).ReadPatientDataAsync("p1", Types, Token, CancellationToken.None), 502);

        Assert.True(error.Issue.Text.En.Length < 600, $"{error.Issue.Text.En.Length} characters");
        Assert.True(error.Issue.Text.Fr.Length < 600, $"{error.Issue.Text.Fr.Length} characters");
    }

    /// <summary>A stream of <c>length</c> spaces that counts what was read from it.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long Consumed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Consumed; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Consumed);
            Array.Fill(buffer, (byte)' ', offset, n);
            Consumed += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
