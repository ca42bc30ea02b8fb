using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace BoneMetRT.Cli.Kit;

/// <summary>
/// The kit as FHIR R4 TestScripts, for testing engines that run those (<c>bonemetrt kit --export-testscripts</c>):
/// one TestScript per case, the body as a fixture (its path relative to the manifest), the request as an operation,
/// every expectation as an assert. The manifest stays the source; the export is made from it, never edited.
/// </summary>
public static partial class KitTestScripts
{
    /// <summary>Canonical base of the exported TestScripts.</summary>
    public const string CanonicalBase = "https://bonemetrt.org/fhir/TestScript/";

    private const string FixtureId = "request-body";

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NotAlphanumeric();

    /// <summary>A collection Bundle holding one TestScript per case, in the manifest's order.</summary>
    public static Bundle Export(KitManifest manifest)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        foreach (var c in manifest.Cases)
        {
            var script = Script(c);
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = script.Url, Resource = script });
        }

        return bundle;
    }

    /// <summary>The TestScript of one case.</summary>
    public static TestScript Script(KitCase kitCase)
    {
        var name = NotAlphanumeric().Replace(kitCase.Id, "-").Trim('-');
        var script = new TestScript
        {
            Url = CanonicalBase + "kit-" + name,
            Name = "Kit_" + name.Replace('-', '_'),
            Title = kitCase.Title,
            Status = PublicationStatus.Draft,
            // The request path is relative: the testing engine sends it to the FHIR base of the deployment under test.
            Description = $"BoneMetRT tester's kit, case {kitCase.Id}. The operation URL is relative to the FHIR base of the deployment under test."
                + (kitCase.Requires is null ? "" : $" Requires: {kitCase.Requires}."),
        };

        if (kitCase.Body is not null)
        {
            script.Fixture.Add(new TestScript.FixtureComponent { ElementId = FixtureId, Autocreate = false, Autodelete = false, Resource = new ResourceReference(kitCase.Body) });
        }

        if (kitCase.NeedsToken)
        {
            script.Variable.Add(new TestScript.VariableComponent { Name = "token", Hint = "an access token the deployment accepts", Description = "The caller's bearer token." });
        }

        var operation = new TestScript.OperationComponent
        {
            Label = kitCase.Id,
            Method = Enum.Parse<TestScript.TestScriptRequestMethodCode>(kitCase.Request.Method, ignoreCase: true),
            Url = kitCase.Request.Path,
            EncodeRequestUrl = true,
            SourceId = kitCase.Body is null ? null : FixtureId,
        };
        foreach (var (field, value) in kitCase.Request.Headers)
        {
            var sent = value.Replace(KitRequest.TokenPlaceholder, "${token}", StringComparison.Ordinal);
            if (field.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                operation.ContentType = sent;
            }
            else if (field.Equals("Accept", StringComparison.OrdinalIgnoreCase))
            {
                operation.Accept = sent;
            }
            else
            {
                operation.RequestHeader.Add(new TestScript.RequestHeaderComponent { Field = field, Value = sent });
            }
        }

        var test = new TestScript.TestComponent { Name = kitCase.Id, Description = kitCase.Title };
        test.Action.Add(new TestScript.TestActionComponent { Operation = operation });
        foreach (var assert in Asserts(kitCase.Expect))
        {
            test.Action.Add(new TestScript.TestActionComponent { Assert = assert });
        }

        script.Test.Add(test);
        return script;
    }

    private static IEnumerable<TestScript.AssertComponent> Asserts(KitExpectation expect)
    {
        yield return new() { Description = $"HTTP status {expect.Status}", ResponseCode = expect.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), WarningOnly = false };
        if (expect.MediaType is not null)
        {
            yield return new() { Description = $"media type {expect.MediaType}", ContentType = expect.MediaType, WarningOnly = false };
        }

        foreach (var (field, value) in expect.Headers)
        {
            yield return new() { Description = $"header {field} with '{value}'", HeaderField = field, Value = value, Operator = TestScript.AssertionOperatorType.Contains, WarningOnly = false };
        }

        yield return new() { Description = $"a FHIR {expect.ResourceType}", Resource = Enum.Parse<FHIRDefinedType>(expect.ResourceType), WarningOnly = false };
        foreach (var a in expect.Assertions)
        {
            yield return new() { Description = a.Description, Expression = a.Expression, WarningOnly = false };
        }
    }
}
