namespace QapiGen.Common;

/// <summary>Open-mode of an fd as fcntl(F_GETFL) reports it (O_ACCMODE bits).</summary>
internal enum FdAccessMode
{
    ReadOnly = 0,
    WriteOnly = 1,
    ReadWrite = 2,
}
