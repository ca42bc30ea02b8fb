using System.Globalization;
using BoneMetRT.Domain.Facts;
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

    /// <summary>
    /// The date a FHIR date or dateTime string names, at the precision it was written: "2025" is the whole year, never
    /// 1 January. A dateTime gives the date as written (in its own offset). Null when absent or unreadable.
    /// </summary>
    public static PartialDate? Partial(string? value)
    {
        if (Start(value) is not { } start)
        {
            return null;
        }

        return value!.Length switch
        {
            4 => PartialDate.Year(start.Year),
            7 => PartialDate.Month(start.Year, start.Month),
            _ => PartialDate.Day(DateOnly.FromDateTime(start.Date)),
        };
    }

    /// <summary>The date of a dateTime, date, Period (its start) or instant, at the precision it was written.</summary>
    public static PartialDate? Partial(DataType? value) => value switch
    {
        FhirDateTime dt => Partial(dt.Value),
        Date d => Partial(d.Value),
        Period p => Partial(p.Start),
        Instant { Value: { } i } => PartialDate.Day(DateOnly.FromDateTime(i.Date)),
        _ => null,
    };
}
