using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Fhir;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>The one mapping of the library's outcome kinds to HTTP statuses (fhir-contract.md §3).</summary>
public sealed class OutcomeStatusTests
{
    [Theory]
    [InlineData(OutcomeKind.Success, 200)]
    [InlineData(OutcomeKind.Malformed, 400)]
    [InlineData(OutcomeKind.NotFound, 404)]
    [InlineData(OutcomeKind.Unprocessable, 422)]
    public void Each_kind_has_the_status_of_the_contract(OutcomeKind kind, int status) =>
        Assert.Equal(status, ErrorHandling.StatusOf(kind));

    [Fact]
    public void Every_kind_has_its_own_status()
    {
        // A kind added to the library without a status here would otherwise surface as a 500 on the first request.
        var statuses = Enum.GetValues<OutcomeKind>().Select(ErrorHandling.StatusOf).ToList();
        Assert.Equal(statuses.Count, statuses.Distinct().Count());
    }
}
