// chroot, mount namespaces, flock and Unix file modes: these tests run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
