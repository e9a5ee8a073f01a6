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

    public DateTimeOffset Local(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    public string Format(DateTimeOffset utc) => Local(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The UTC instant at which a local calendar day starts.</summary>
    public DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
