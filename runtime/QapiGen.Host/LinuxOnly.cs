using System.Runtime.Versioning;

// The host passes fds with SCM_RIGHTS and migrates with the Linux-only engine (mmap, memfd,
// statx): it runs on Linux alone, and says so to the platform analyzer.
[assembly: SupportedOSPlatform("linux")]
