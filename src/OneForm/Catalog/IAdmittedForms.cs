namespace OneForm.Catalog;

/// <summary>
/// What follows the admission of a form: the module that holds the work (Collection) opens the form's tasks for the
/// current period at once rather than at its next daily round. Catalog asks for it without depending on that module.
/// </summary>
public interface IAdmittedForms
{
    /// <summary>Opens the tasks of the period <paramref name="today"/> falls in; the number of tasks opened.</summary>
    Task<int> AdmittedAsync(Form form, DateOnly today, CancellationToken cancellationToken = default);
}
