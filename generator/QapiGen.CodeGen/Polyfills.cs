// Compiler-support types netstandard2.0 lacks. Excluded when the generator compiles these sources
// together with the front end (which declares the same internal types).
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit { }
