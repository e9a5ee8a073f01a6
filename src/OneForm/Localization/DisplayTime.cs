using System.Globalization;

namespace OneForm.Localization;

/// <summary>Times are stored in UTC and shown in the region's time zone (China Standard Time by default).</summary>
public sealed class DisplayTime(string timeZoneId)
{
    public DisplayTime(string timeZoneId, TimeProvider time) : this(timeZoneId) => Time = time;

    public TimeProvider Time { get; } = TimeProvider.System;

    /// <summary>Today in the region: periods and deadlines are local calendar days.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Local(Time.GetUtcNow()).DateTime);

    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);

    /// <summary>The region's time of an instant; an instant at the calendar's very ends, which has none, as it is.</summary>
    public DateTimeOffset Local(DateTimeOffset utc)
    {
        var offset = Zone.GetUtcOffset(utc.UtcDateTime);
        var ticks = utc.UtcTicks + offset.Ticks;
        return ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks ? utc : TimeZoneInfo.ConvertTime(utc, Zone);
    }

    public string Format(DateTimeOffset utc) => Local(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The UTC instant at which a local calendar day starts.</summary>
    /// <remarks>The calendar's first and last days (0001-01-01, 9999-12-31 as typed in a search) have no UTC instant
    /// on the other side of the offset: they mean the beginning and the end of time.</remarks>
    public DateTimeOffset StartOfDay(DateOnly day)
    {
        if (day.DayNumber <= DateOnly.MinValue.DayNumber + 1)
        {
            return DateTimeOffset.MinValue;
        }
        if (day.DayNumber >= DateOnly.MaxValue.DayNumber - 1)
        {
            return DateTimeOffset.MaxValue;
        }
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
