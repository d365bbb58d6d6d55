using System.Threading;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Fds;

/// <summary>
/// The cap on fds the host holds for its clients, in fdsets and named fds together
/// (<c>--max-held-fds</c>). Every fd costs a slot of the process's fd table and kernel memory
/// for as long as it is held, and clients decide how many they pass: the cap keeps a client,
/// or several, from holding them without bound.
/// </summary>
public sealed class HeldFdLimit
{
    private int _held;

    public HeldFdLimit(int max)
    {
        Max = max;
    }

    /// <summary>No cap (registries built on their own, in tests).</summary>
    public static HeldFdLimit Unlimited => new(int.MaxValue);

    public int Max { get; }

    /// <summary>Fds held now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Counts one more fd, or refuses it with a GenericError naming the cap.</summary>
    /// <exception cref="QmpException">the cap is reached.</exception>
    public void Acquire()
    {
        if (Interlocked.Increment(ref _held) > Max)
        {
            Interlocked.Decrement(ref _held);
            throw QmpError.Generic($"Too many file descriptors held in fdsets and named fds (at most {Max}); remove-fd or closefd some first").ToException();
        }
    }

    /// <summary>An fd counted by <see cref="Acquire"/> was closed or handed over.</summary>
    public void Release(int count = 1) => Interlocked.Add(ref _held, -count);
}
