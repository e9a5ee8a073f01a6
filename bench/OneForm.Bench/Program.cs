using OneForm.Bench;

// dotnet run -c Release --project bench/OneForm.Bench -- subtree [fan-out]
// dotnet run -c Release --project bench/OneForm.Bench -- registry [residents]
// dotnet run -c Release --project bench/OneForm.Bench -- statistics [runs]
switch (args.FirstOrDefault())
{
    case "registry":
        await RegistryBench.RunAsync([.. args.Skip(1)]);
        break;
    case "statistics":
        await StatisticsBench.RunAsync([.. args.Skip(1)]);
        break;
    case "divisions": await DivisionsBench.RunAsync([.. args.Skip(1)]); break;
    case "subtree":
        await SubtreeBench.RunAsync([.. args.Skip(1)]);
        break;
    default:
        Console.Error.WriteLine("Use: subtree [fan-out] | registry [residents] | statistics [runs]");
        return 2;
}
return 0;
