namespace OneForm.Dictionary;

/// <summary>
/// What the modules built on the dictionary know of an element's use: which admitted forms ask it and whether values
/// of it are held. The dictionary shows and guards elements by it without depending on those modules.
/// </summary>
public interface IElementUses
{
    /// <summary>The admission codes of the admitted forms that ask each element, by element id.</summary>
    Task<ILookup<int, string>> AdmittedFormsAsync(IReadOnlyCollection<int> elementIds);

    /// <summary>Whether any unit holds a value of the element (its type can then no longer change).</summary>
    Task<bool> HoldsValuesAsync(int elementId);

    /// <summary>An indicator's formula was set or changed (and saved): its values follow wherever its parts are held.</summary>
    Task<int> FormulaChangedAsync(DataElement indicator, string actor);
}
