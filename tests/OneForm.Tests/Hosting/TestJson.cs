using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneForm.Tests.Hosting;

/// <summary>The API writes enums as names; tests read them the same way.</summary>
public static class TestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
