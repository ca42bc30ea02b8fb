using System.Globalization;

namespace BoneMetRT.Domain.Facts;

/// <summary>
/// A date as precise as the record holds it: a day, a month or a year. A FHIR <c>date</c> of "2025" is the whole of
/// 2025, not 1 January: rules that depend on the day (the Rades interval, the post-operative window) must work with
/// both ends and say when the record is too imprecise to decide, never complete the date.
/// </summary>
/// <param name="Earliest">First day the date can be.</param>
/// <param name="Latest">Last day the date can be.</param>
public readonly record struct PartialDate(DateOnly Earliest, DateOnly Latest)
{
    /// <summary>An exact day.</summary>
    public static PartialDate Day(DateOnly day) => new(day, day);

    /// <summary>A whole month (a FHIR date "2025-03").</summary>
    public static PartialDate Month(int year, int month) =>
        new(new DateOnly(year, month, 1), new DateOnly(year, month, DateTime.DaysInMonth(year, month)));

    /// <summary>A whole year (a FHIR date "2025").</summary>
    public static PartialDate Year(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    /// <summary>True when the record gives the day.</summary>
    public bool IsExact => Earliest == Latest;

    /// <summary>The day; only valid when <see cref="IsExact"/>.</summary>
    public DateOnly Value => IsExact ? Earliest : throw new InvalidOperationException($"The date {this} is not precise to the day.");

    /// <summary>The date as the record gave it: "2025-03-14", "2025-03" or "2025".</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        if (IsExact)
        {
            return Earliest.ToString("yyyy-MM-dd", inv);
        }

        var wholeMonth = Earliest.Day == 1 && Latest == new DateOnly(Earliest.Year, Earliest.Month, DateTime.DaysInMonth(Earliest.Year, Earliest.Month));
        if (wholeMonth)
        {
            return Earliest.ToString("yyyy-MM", inv);
        }

        var wholeYear = Earliest == new DateOnly(Earliest.Year, 1, 1) && Latest == new DateOnly(Earliest.Year, 12, 31);
        return wholeYear ? Earliest.Year.ToString(inv) : $"{Earliest.ToString("yyyy-MM-dd", inv)}/{Latest.ToString("yyyy-MM-dd", inv)}";
    }

    /// <summary>An exact day as a partial date.</summary>
    public static implicit operator PartialDate(DateOnly day) => Day(day);
}
