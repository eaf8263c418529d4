// Loop devices, mounts and flock: these tests run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// The error handler writes to Console.Out and Console.Error, which CliRig redirects for each
// run: one test at a time, or one test's output lands in another's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
