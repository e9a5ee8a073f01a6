using Microsoft.Extensions.Localization;

namespace OneForm.Collection;

public static class TaskStates
{
    public static string Name(TaskState state, IStringLocalizer l) => state switch
    {
        TaskState.NotStarted => l["Not started"],
        TaskState.Draft => l["Draft"],
        TaskState.Submitted => l["Submitted"],
        TaskState.Returned => l["Returned"],
        TaskState.Accepted => l["Accepted"],
        TaskState.Reopened => l["Reopened"],
    };
}
