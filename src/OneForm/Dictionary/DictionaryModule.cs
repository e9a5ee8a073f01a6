using OneForm.Dictionary.Validation;

namespace OneForm.Dictionary;

public static class DictionaryModule
{
    public static IEndpointRouteBuilder MapDictionary(this IEndpointRouteBuilder routes)
    {
        routes.MapDictionaryApi();
        routes.MapValidationRulesApi();
        return routes;
    }
}
