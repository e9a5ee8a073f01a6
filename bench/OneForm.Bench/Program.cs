using OneForm.Bench;

// dotnet run -c Release --project bench/OneForm.Bench -- subtree [fan-out]
// dotnet run -c Release --project bench/OneForm.Bench -- registry [residents]
// dotnet run -c Release --project bench/OneForm.Bench -- statistics [runs]
// dotnet run -c Release --project bench/OneForm.Bench -- province [residents] [villages]
// dotnet run -c Release --project bench/OneForm.Bench -- divisions [file]
// dotnet run -c Release --project bench/OneForm.Bench -- surge [window seconds] [in flight] [fields]
// dotnet run -c Release --project bench/OneForm.Bench -- soak [per second] [seconds] [residents]
// dotnet run -c Release --project bench/OneForm.Bench -- killnode [window seconds] [in flight] [residents]
switch (args.FirstOrDefault())
{
    case "registry":
        await RegistryBench.RunAsync([.. args.Skip(1)]);
        break;
    case "statistics":
        await StatisticsBench.RunAsync([.. args.Skip(1)]);
        break;
    case "province":
        await ProvinceBench.RunAsync([.. args.Skip(1)]);
        break;
    case "divisions":
        await DivisionsBench.RunAsync([.. args.Skip(1)]);
        break;
    case "surge":
        await SurgeBench.RunAsync([.. args.Skip(1)]);
        break;
    case "soak":
        await SoakBench.RunAsync([.. args.Skip(1)]);
        break;
    case "killnode":
        await KillNodeBench.RunAsync([.. args.Skip(1)]);
        break;
    case "subtree":
        await SubtreeBench.RunAsync([.. args.Skip(1)]);
        break;
    default:
        Console.Error.WriteLine("Use: subtree [fan-out] | registry [residents] | statistics [runs] | province [residents] [villages] | divisions [file] | surge | soak | killnode");
        return 2;
}
return 0;
