namespace OneForm.Dictionary;

public static class DictionaryModule
{
    public static IEndpointRouteBuilder MapDictionary(this IEndpointRouteBuilder routes)
    {
        routes.MapDictionaryApi();
        return routes;
    }
}
