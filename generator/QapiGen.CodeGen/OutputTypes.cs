using System.Collections.Generic;

namespace QapiGen.CodeGen;

/// <summary>
/// The schema types a client reads from a server: those reachable from a command's return value or
/// an event's data, through members, bases, union branches, alternatives and array elements. Only
/// they get readers of output, so a schema whose types are mostly arguments does not pay for two
/// readers of each.
/// </summary>
public static class OutputTypes
{
    /// <summary>The C# short names (<see cref="TypeRef.IdName"/>) of the types reached.</summary>
    public static HashSet<string> Of(SchemaSpec spec) =>
        TypeReach.From(spec.Structs, spec.Unions, spec.Alternates, TypeReach.OutputRoots(spec.Commands, spec.Events));
}
