namespace OneForm.Localization;

/// <summary>
/// The one resource set of OneForm. Keys are the English text, so English needs no resource file;
/// <c>SharedResource.zh-CN.resx</c> holds the Chinese, and a test keeps it complete.
/// </summary>
public sealed class SharedResource;
