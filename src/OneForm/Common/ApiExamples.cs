using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OneForm.Common;

/// <summary>An example request and answer for an endpoint, shown in the OpenAPI reference.</summary>
public sealed record ApiExample(object? Request, object? Response, int Status);

public static class ApiExamples
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Documents the endpoint with an example body and answer (written with the API's own JSON settings).</summary>
    public static RouteHandlerBuilder WithExample(this RouteHandlerBuilder endpoint, object? request = null, object? response = null,
        int status = StatusCodes.Status200OK) =>
        endpoint.WithMetadata(new ApiExample(request, response, status));

    /// <summary>Puts each endpoint's <see cref="ApiExample"/> into its operation.</summary>
    public static OpenApiOptions AddExamples(this OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiExample>().FirstOrDefault() is not { } example)
        {
            return Task.CompletedTask;
        }
        if (example.Request is not null && operation.RequestBody?.Content is { } body)
        {
            foreach (var media in body.Values)
            {
                media.Example = JsonSerializer.SerializeToNode(example.Request, Json);
            }
        }
        if (example.Response is not null)
        {
            var status = example.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            operation.Responses ??= [];
            if (!operation.Responses.TryGetValue(status, out var response) || response.Content is null || response.Content.Count == 0)
            {
                var description = example.Status switch { 201 => "Created", 202 => "Accepted", _ => "OK" };
                response = new OpenApiResponse { Description = description, Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() } };
                operation.Responses[status] = response;
            }
            // An endpoint answering with a result object is listed as "200" without content: the example says what it answers.
            if (example.Status != 200 && operation.Responses.TryGetValue("200", out var plain) && (plain.Content is null || plain.Content.Count == 0))
            {
                operation.Responses.Remove("200");
            }
            foreach (var media in response.Content!.Values)
            {
                media.Example = JsonSerializer.SerializeToNode(example.Response, Json);
            }
        }
        return Task.CompletedTask;
    });
}
