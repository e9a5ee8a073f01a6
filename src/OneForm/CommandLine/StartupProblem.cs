namespace OneForm.CommandLine;

/// <summary>A problem the operator can fix (configuration, an unreachable database): printed as one message, never a stack trace.</summary>
public sealed class StartupProblem(string message, Exception? inner = null) : Exception(message, inner);
