namespace OneForm.Common;

/// <summary>Page numbers as typed in a query string.</summary>
public static class Paging
{
    /// <summary>
    /// The rows before a page, for <c>Skip</c>: computed wide, so a page far past the end (page=2147483647) is an empty
    /// page and never wraps round to the first one.
    /// </summary>
    public static int Skip(int page, int pageSize) => (int)Math.Min(int.MaxValue, (Math.Max(page, 1) - 1L) * Math.Max(pageSize, 0));
}
