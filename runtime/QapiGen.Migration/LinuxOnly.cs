using System.Runtime.Versioning;

// The engine is built on Linux system calls (mmap, statx, pagemap, memfd): it
// serves a Linux QMP host and says so, instead of failing at run time elsewhere.
[assembly: SupportedOSPlatform("linux")]
