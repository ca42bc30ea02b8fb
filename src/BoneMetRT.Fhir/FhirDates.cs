using System.Globalization;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>Reads FHIR date/dateTime values of any precision (year, month, day, or full) as UTC instants.</summary>
public static class FhirDates
{
    /// <summary>The instant a FHIR date or dateTime string starts at; null when absent or unreadable.</summary>
    public static DateTimeOffset? Start(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        return value.Length switch
        {
            4 when int.TryParse(value, NumberStyles.None, inv, out var y) && y > 0 => new DateTimeOffset(y, 1, 1, 0, 0, 0, TimeSpan.Zero),
            7 when DateTime.TryParseExact(value, "yyyy-MM", inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var m) => new DateTimeOffset(m, TimeSpan.Zero),
            10 when DateTime.TryParseExact(value, "yyyy-MM-dd", inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) => new DateTimeOffset(d, TimeSpan.Zero),
            > 10 when DateTimeOffset.TryParse(value, inv, DateTimeStyles.AssumeUniversal, out var full) => full,
            _ => null,
        };
    }

    /// <summary>Start of a dateTime or Period.</summary>
    public static DateTimeOffset? Start(DataType? value) => value switch
    {
        FhirDateTime dt => Start(dt.Value),
        Date d => Start(d.Value),
        Period p => Start(p.Start),
        Instant i => i.Value,
        _ => null,
    };
}
