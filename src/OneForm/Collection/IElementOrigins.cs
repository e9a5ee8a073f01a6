namespace OneForm.Collection;

/// <summary>
/// What fills an element other than typing, from a module above Collection (ledgers and activity records): those elements,
/// each with its origin in words. Such an element is never typed: the records it comes from are corrected instead.
/// </summary>
public interface IElementOrigins
{
    Task<Dictionary<int, string>> DescribeAsync(IReadOnlyCollection<int> elementIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Computes and saves the values of those cells (element, period) of a unit that this origin fills and that hold none
    /// yet (a count with nothing recorded is 0); returns how many it wrote.
    /// </summary>
    Task<int> FillAsync(int unitId, IReadOnlyCollection<(int ElementId, string Period)> cells, CancellationToken cancellationToken = default);

    /// <summary>
    /// Where the records behind each element's value are read, for a unit and period: the page listing the entries a
    /// count was made of, so the reviewer checks the records rather than the figure. Elements without such a page are left out.
    /// </summary>
    Task<Dictionary<int, string>> RecordsAsync(IReadOnlyCollection<int> elementIds, string unitCode, string period, CancellationToken cancellationToken = default);
}
