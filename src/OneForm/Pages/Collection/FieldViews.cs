using OneForm.Dictionary;

namespace OneForm.Pages.Collection;

/// <summary>One typed field's input, as the form page and the sheet page draw it: bound to <paramref name="Name"/>.</summary>
public sealed record ValueInputView(DataElement Element, string Id, string Name, string? Value, bool Required);

/// <summary>A roster section as the form page and the sheet page draw it: cells bound to <c>{TypedName}[resident:code]</c>.</summary>
public sealed record RosterSectionView(TaskModel.RosterView Roster, bool CanFill, string TypedName, string ShownName);
