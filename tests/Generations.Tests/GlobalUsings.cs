// The library under test for every file of this project, whose namespace (Apkgen.Generations.Tests)
// no longer encloses it: its types, and its namespaces by their short names (Edge.IMounts).
global using Apkgen.Core;
global using Apk = Apkgen.Core.Apk;
global using Auto = Apkgen.Core.Auto;
global using Boot = Apkgen.Core.Boot;
global using Configuration = Apkgen.Core.Configuration;
global using Edge = Apkgen.Core.Edge;
global using Files = Apkgen.Core.Files;
global using Layout = Apkgen.Core.Layout;
global using Linux = Apkgen.Core.Linux;
global using Model = Apkgen.Core.Model;
global using Refind = Apkgen.Core.Refind;
global using Space = Apkgen.Core.Space;
global using Transactions = Apkgen.Core.Transactions;
global using UseCases = Apkgen.Core.UseCases;
