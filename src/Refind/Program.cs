using System.CommandLine;
var root = new RootCommand("apkgen-refind");
root.Options.Add(new Option<string>("--config") { Description = "configuration file" });
return root.Parse(args).Invoke();
