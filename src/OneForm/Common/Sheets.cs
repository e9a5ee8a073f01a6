using Microsoft.Extensions.Localization;

namespace OneForm.Common;

/// <summary>
/// Bounds on the work a spreadsheet upload can cause. Rows are read one at a time and reading stops at the first
/// row past a limit, so a file of a million rows is refused after the limit's worth of reading, not after all of it.
/// </summary>
public static class Sheets
{
    public enum Limit
    {
        Rows,
        Columns,
    }

    public sealed class TooLargeException(Limit limit, int most) : Exception($"more than {most} {limit}")
    {
        public Limit Limit { get; } = limit;
        public int Most { get; } = most;

        public string Describe(IStringLocalizer l) => Limit == Limit.Rows
            ? l["The file has more than {0} rows, the most this upload takes; nothing was read from it.", Most]
            : l["The file has more than {0} columns, the most this upload takes; nothing was read from it.", Most];
    }

    /// <summary>The rows, throwing <see cref="TooLargeException"/> at the first row past either limit.</summary>
    public static IEnumerable<IDictionary<string, object?>> Bounded(this IEnumerable<IDictionary<string, object?>> rows, int maxRows, int maxColumns)
    {
        var count = 0;
        foreach (var row in rows)
        {
            if (++count > maxRows)
            {
                throw new TooLargeException(Limit.Rows, maxRows);
            }
            if (row.Count > maxColumns)
            {
                throw new TooLargeException(Limit.Columns, maxColumns);
            }
            yield return row;
        }
    }
}
