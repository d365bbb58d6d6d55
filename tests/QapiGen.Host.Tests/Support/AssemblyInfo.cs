// The host is Linux-only (SCM_RIGHTS, /proc/self/fd); so are its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
