namespace OneForm.Pages.Shared;

/// <summary>
/// A column of a file people upload: its name as the file spells it (a code, shown as code), what it holds in the
/// reader's language, and the words it takes where those are codes too (each with its name).
/// </summary>
public sealed record FileColumn(string Column, string Meaning, IReadOnlyList<(string Code, string Name)>? Values = null);
