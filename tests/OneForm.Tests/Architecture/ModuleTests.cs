using Mono.Cecil;
using Mono.Cecil.Cil;
using NetArchTest.Rules;
using OneForm.Data;

namespace OneForm.Tests.Architecture;

/// <summary>
/// Keeps the modular monolith modular: modules depend on each other in one direction only, and a page
/// reads only its own module's tables (another module's data comes through that module's own queries).
/// </summary>
public sealed class ModuleTests
{
    private static readonly System.Reflection.Assembly Product = typeof(OneFormDbContext).Assembly;

    /// <summary>The feature modules and the shared home they all may use (docs/adr/0006).</summary>
    public static readonly string[] Modules =
        ["Common", "Organization", "Accounts", "Oversight", "Dictionary", "Catalog", "Collection", "Registry", "Sharing", "Media", "Ledgers", "Reports", "Admission", "Messages", "Web"];

    /// <summary>The folders of Pages/ that belong to a module other than their own name.</summary>
    private static readonly Dictionary<string, string> PageFolders = new()
    {
        ["Account"] = "Accounts", ["Admin.Accounts"] = "Accounts", ["Admin.Tokens"] = "Accounts", ["Admin.Departments"] = "Organization",
        ["Activities"] = "Media",
        ["Exports"] = "Sharing", ["Grants"] = "Sharing", ["Statistics"] = "Sharing",
    };

    [Fact]
    public void Modules_depend_on_each_other_without_a_cycle()
    {
        var edges = Edges.Value;
        var cycles = StronglyConnected(edges).Where(c => c.Count > 1).ToList();

        Assert.True(cycles.Count == 0, string.Join("\n", cycles.Select(cycle =>
            "cycle: " + string.Join(" ⇄ ", cycle) + "\n" + string.Join("\n", edges
                .Where(e => cycle.Contains(e.Key.From) && cycle.Contains(e.Key.To))
                .Select(e => $"  {e.Key.From} -> {e.Key.To}: {string.Join(", ", e.Value.Take(6))}")))));
    }

    [Fact]
    public void The_dependency_search_sees_a_known_dependency()
    {
        // Guards the test above against passing because it finds nothing: Collection is built on Catalog.
        Assert.Contains(("Collection", "Catalog"), Edges.Value.Keys);
    }

    [Fact]
    public void Pages_query_only_their_own_modules_tables()
    {
        var assembly = AssemblyDefinition.ReadAssembly(Product.Location);
        var violations = new List<string>();
        foreach (var type in assembly.MainModule.Types.SelectMany(Nested))
        {
            var module = PageModule(type);
            if (module is null)
            {
                continue;
            }
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                foreach (var instruction in method.Body.Instructions.Where(i => i.OpCode == OpCodes.Callvirt || i.OpCode == OpCodes.Call))
                {
                    // db.Things and db.Set<Thing>(): whatever hands out a DbSet of another module's entity.
                    if (instruction.Operand is not MethodReference called
                        || called.ReturnType is not GenericInstanceType { Name: "DbSet`1" } set)
                    {
                        continue;
                    }
                    var entity = set.GenericArguments[0] switch
                    {
                        GenericParameter { Type: GenericParameterType.Method } p when called is GenericInstanceMethod m => m.GenericArguments[p.Position],
                        GenericParameter p when called.DeclaringType is GenericInstanceType t => t.GenericArguments[p.Position],
                        var t => t,
                    };
                    var owner = ModuleOf(entity.Namespace);
                    if (owner != module)
                    {
                        violations.Add($"{Outer(type).FullName} ({module}) reads {entity.Name} of {owner}");
                    }
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations.Distinct().Order()));
    }

    private static readonly Lazy<Dictionary<(string From, string To), List<string>>> Edges = new(ModuleEdges);

    private static Dictionary<(string From, string To), List<string>> ModuleEdges()
    {
        var edges = new Dictionary<(string, string), List<string>>();
        // Read once: each query starts from the same types (reading the assembly for each of the 210 pairs took minutes).
        var product = Types.InAssembly(Product);
        foreach (var from in Modules)
        {
            foreach (var to in Modules.Where(m => m != from))
            {
                var types = product.That().ResideInNamespaceMatching($@"^OneForm\.{from}(\.|$)")
                    .And().HaveDependencyOnAny($"OneForm.{to}")
                    .GetTypes().Select(t => t.Name).ToList();
                if (types.Count > 0)
                {
                    edges[(from, to)] = types;
                }
            }
        }
        return edges;
    }

    /// <summary>Tarjan's strongly connected components over the module graph.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<(string From, string To), List<string>> edges)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var components = new List<List<string>>();
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in edges.Keys.Where(e => e.From == node).Select(e => e.To))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }
            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                } while (member != node);
                components.Add(component);
            }
        }
        foreach (var module in Modules.Where(m => !index.ContainsKey(m)))
        {
            Visit(module);
        }
        return components;
    }

    private static IEnumerable<TypeDefinition> Nested(TypeDefinition type) => type.NestedTypes.SelectMany(Nested).Prepend(type);

    private static TypeDefinition Outer(TypeDefinition type) => type.DeclaringType is null ? type : Outer(type.DeclaringType);

    /// <summary>The module a page model or a compiled Razor view belongs to, by its folder under Pages/.</summary>
    private static string? PageModule(TypeDefinition type)
    {
        var outer = Outer(type);
        string? folder = null;
        if (outer.Namespace.StartsWith("OneForm.Pages.", StringComparison.Ordinal))
        {
            var parts = outer.Namespace["OneForm.Pages.".Length..].Split('.');
            folder = parts[0] == "Admin" && parts.Length > 1 ? $"Admin.{parts[1]}" : parts[0];
        }
        else if (outer.Namespace == "AspNetCoreGeneratedDocument" && outer.Name.StartsWith("Pages_", StringComparison.Ordinal))
        {
            var parts = outer.Name.Split('_');
            folder = parts.Length > 3 && parts[1] == "Admin" ? $"Admin.{parts[2]}" : parts.Length > 2 ? parts[1] : null;
        }
        if (folder is null or "Shared")
        {
            return folder is null && (outer.Namespace == "OneForm.Pages" || outer.Name.StartsWith("Pages_", StringComparison.Ordinal)) ? "Home" : null;
        }
        return PageFolders.GetValueOrDefault(folder, folder);
    }

    private static string ModuleOf(string @namespace) =>
        @namespace.StartsWith("OneForm.", StringComparison.Ordinal) ? @namespace.Split('.')[1] : @namespace;
}
