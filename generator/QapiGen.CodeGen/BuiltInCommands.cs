using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.CodeGen;

/// <summary>
/// The commands every QMP server answers, whatever its schema: <c>qmp_capabilities</c>, <c>query-version</c>,
/// <c>query-commands</c> and <c>query-qmp-schema</c>. A server generated from a schema that does not serve one of
/// them (the schema lacks it, or a <c>Commands="..."</c> subset leaves it out) still answers it with QEMU's
/// definition: the session negotiates, the generated table answers the other three (the runtime's
/// <c>QmpBuiltInCommands</c> and the introspection data), and the introspection lists the command with the types it
/// reaches, so clients that detect features through <c>query-qmp-schema</c> see it. None of them enters the handler
/// interface. A schema that serves one keeps its own definition and handler.
/// </summary>
/// <remarks>
/// A guest-agent schema (one that defines <c>guest-sync-delimited</c> and not <c>qmp_capabilities</c>, the rule the
/// client's dialect follows) gets none: qemu-ga has none of these commands (<c>guest-info</c> lists its commands),
/// and its dialect has no negotiation.
/// </remarks>
public static class BuiltInCommands
{
    /// <summary>The built-ins in QEMU's definition order.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "qmp_capabilities", "query-version", "query-commands", "query-qmp-schema" };

    private const string FileName = "qapigen-builtins.json";

    /// <summary>
    /// QEMU's definitions of the four commands and the types they reach (QEMU's names and members), so that
    /// introspection describes them exactly as a QEMU server does. Parsed once (<see cref="Schema"/>), checked by the front end.
    /// </summary>
    public const string Definitions = @"
{ 'pragma': { 'command-name-exceptions': [ 'qmp_capabilities' ] } }

{ 'enum': 'QMPCapability', 'data': [ 'oob' ] }
{ 'command': 'qmp_capabilities', 'data': { '*enable': [ 'QMPCapability' ] }, 'allow-preconfig': true }

{ 'struct': 'VersionTriple', 'data': { 'major': 'int', 'minor': 'int', 'micro': 'int' } }
{ 'struct': 'VersionInfo', 'data': { 'qemu': 'VersionTriple', 'package': 'str' } }
{ 'command': 'query-version', 'returns': 'VersionInfo', 'allow-preconfig': true }

{ 'struct': 'CommandInfo', 'data': { 'name': 'str' } }
{ 'command': 'query-commands', 'returns': [ 'CommandInfo' ], 'allow-preconfig': true }

{ 'command': 'query-qmp-schema', 'returns': [ 'SchemaInfo' ], 'allow-preconfig': true }
{ 'enum': 'SchemaMetaType', 'data': [ 'builtin', 'enum', 'array', 'object', 'alternate', 'command', 'event' ] }
{ 'union': 'SchemaInfo',
  'base': { 'name': 'str', 'meta-type': 'SchemaMetaType', '*features': [ 'str' ] },
  'discriminator': 'meta-type',
  'data': { 'builtin': 'SchemaInfoBuiltin', 'enum': 'SchemaInfoEnum', 'array': 'SchemaInfoArray',
            'object': 'SchemaInfoObject', 'alternate': 'SchemaInfoAlternate', 'command': 'SchemaInfoCommand',
            'event': 'SchemaInfoEvent' } }
{ 'struct': 'SchemaInfoBuiltin', 'data': { 'json-type': 'JSONType' } }
{ 'enum': 'JSONType', 'data': [ 'string', 'number', 'int', 'boolean', 'null', 'object', 'array', 'value' ] }
{ 'struct': 'SchemaInfoEnum',
  'data': { 'members': [ 'SchemaInfoEnumMember' ], 'values': { 'type': [ 'str' ], 'features': [ 'deprecated' ] } } }
{ 'struct': 'SchemaInfoEnumMember', 'data': { 'name': 'str', '*features': [ 'str' ] } }
{ 'struct': 'SchemaInfoArray', 'data': { 'element-type': 'str' } }
{ 'struct': 'SchemaInfoObject',
  'data': { 'members': [ 'SchemaInfoObjectMember' ], '*tag': 'str', '*variants': [ 'SchemaInfoObjectVariant' ] } }
{ 'struct': 'SchemaInfoObjectMember', 'data': { 'name': 'str', 'type': 'str', '*default': 'any', '*features': [ 'str' ] } }
{ 'struct': 'SchemaInfoObjectVariant', 'data': { 'case': 'str', 'type': 'str' } }
{ 'struct': 'SchemaInfoAlternate', 'data': { 'members': [ 'SchemaInfoAlternateMember' ] } }
{ 'struct': 'SchemaInfoAlternateMember', 'data': { 'type': 'str' } }
{ 'struct': 'SchemaInfoCommand', 'data': { 'arg-type': 'str', 'ret-type': 'str', '*allow-oob': 'bool' } }
{ 'struct': 'SchemaInfoEvent', 'data': { 'arg-type': 'str' } }
";

    private static readonly Lazy<QapiSchema> s_schema = new(() =>
        QapiSchema.Load(FileName, new InMemorySchemaFileSystem().Add(FileName, Definitions)));

    /// <summary>QEMU's definitions of the built-ins, as a checked schema of their own.</summary>
    public static QapiSchema Schema => s_schema.Value;

    /// <summary>
    /// The built-ins a server generated from <paramref name="schema"/> answers with QEMU's definition, in
    /// <see cref="Names"/> order: those the schema does not serve (<paramref name="served"/>: whether the subset serves
    /// a command (false) or event (true); null serves everything). None for a guest-agent schema.
    /// </summary>
    public static IReadOnlyList<string> Missing(QapiSchema schema, Func<string, bool, bool>? served = null)
    {
        if (IsGuestAgent(schema))
        {
            return Array.Empty<string>();
        }
        return Names.Where(n => schema.LookupEntity<QapiSchemaCommand>(n) == null || (served != null && !served(n, false))).ToArray();
    }

    /// <summary>A schema of the guest-agent protocol: it defines <c>guest-sync-delimited</c> and not <c>qmp_capabilities</c>.</summary>
    public static bool IsGuestAgent(QapiSchema schema) =>
        schema.LookupEntity<QapiSchemaCommand>("guest-sync-delimited") != null && schema.LookupEntity<QapiSchemaCommand>("qmp_capabilities") == null;

    /// <summary>
    /// <paramref name="entries"/> (a schema's SchemaInfo list, <see cref="SchemaInfoBuilder"/>) with the entries of the
    /// <paramref name="missing"/> built-ins added: their commands after the schema's commands and events, the types they
    /// reach after the schema's types. Masked type names continue the schema's numbering; types both lists have (the
    /// built-in JSON types, the empty object) are listed once. Unmasked, a built-in type whose name the schema uses for
    /// a type of its own is listed as <c>builtin-NAME</c>.
    /// </summary>
    public static IReadOnlyList<SchemaInfoEntry> AddTo(IReadOnlyList<SchemaInfoEntry> entries, IReadOnlyList<string> missing, bool unmask = false)
    {
        if (missing.Count == 0)
        {
            return entries;
        }
        IReadOnlyList<SchemaInfoEntry> added = SchemaInfoBuilder.Build(Schema, unmask: unmask, served: (name, isEvent) => !isEvent && missing.Contains(name));
        var names = new HashSet<string>(entries.Where(e => !IsDefinition(e)).Select(e => e.Name), StringComparer.Ordinal);
        string? emptyObject = entries.FirstOrDefault(e => e.SchemaName == "q_empty" && !IsDefinition(e))?.Name;
        int next = entries.Where(e => !IsDefinition(e)).Select(e => int.TryParse(e.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n + 1 : 0)
            .DefaultIfEmpty(0).Max();

        // The new name of each of the built-ins' types that is not a JSON type or an array (those are named after their element).
        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (SchemaInfoEntry e in added)
        {
            if (IsDefinition(e) || e is SchemaInfoBuiltin or SchemaInfoArray)
            {
                continue;
            }
            if (e.SchemaName == "q_empty" && emptyObject != null)
            {
                rename[e.Name] = emptyObject;
            }
            else if (!unmask)
            {
                rename[e.Name] = (next++).ToString(CultureInfo.InvariantCulture);
            }
            else if (names.Contains(e.Name))
            {
                rename[e.Name] = "builtin-" + e.Name;
            }
        }
        string R(string name) => name.StartsWith("[", StringComparison.Ordinal) && name.EndsWith("]", StringComparison.Ordinal)
            ? "[" + R(name.Substring(1, name.Length - 2)) + "]"
            : rename.TryGetValue(name, out string? renamed) ? renamed : name;

        var definitions = new List<SchemaInfoEntry>();
        var types = new List<SchemaInfoEntry>();
        foreach (SchemaInfoEntry e in added)
        {
            SchemaInfoEntry r = Renamed(e, R);
            if (IsDefinition(r))
            {
                definitions.Add(r);
            }
            else if (!names.Contains(r.Name))
            {
                types.Add(r);
            }
        }
        int firstType = entries.TakeWhile(IsDefinition).Count();
        return entries.Take(firstType).Concat(definitions).Concat(entries.Skip(firstType)).Concat(types).ToList();
    }

    private static bool IsDefinition(SchemaInfoEntry e) => e is SchemaInfoCommand or SchemaInfoEvent;

    private static SchemaInfoEntry Renamed(SchemaInfoEntry e, Func<string, string> r) => e switch
    {
        SchemaInfoCommand c => new SchemaInfoCommand(c.Name, r(c.ArgType), r(c.RetType), c.AllowOob, c.Features, c.IfCond, c.Info, c.AllowPreconfig),
        SchemaInfoEvent ev => new SchemaInfoEvent(ev.Name, r(ev.ArgType), ev.Features, ev.IfCond, ev.Info),
        SchemaInfoArray a => new SchemaInfoArray(r(a.Name), r(a.ElementType), a.IfCond, a.SchemaName, a.Info),
        SchemaInfoEnum en => new SchemaInfoEnum(r(en.Name), en.Members, en.Features, en.IfCond, en.SchemaName, en.Info),
        SchemaInfoObject o => new SchemaInfoObject(r(o.Name),
            o.Members.Select(m => new SchemaInfoObjectMember(m.Name, r(m.Type), m.Optional, m.Features, m.IfCond, m.SchemaType, m.Info, m.DefinedIn)).ToList(),
            o.Tag, o.Variants?.Select(v => new SchemaInfoVariant(v.Case, r(v.Type), v.IfCond, v.Info)).ToList(), o.Features, o.IfCond, o.SchemaName, o.Info),
        SchemaInfoAlternate alt => new SchemaInfoAlternate(r(alt.Name),
            alt.Members.Select(m => new SchemaInfoAlternative(r(m.Type), m.IfCond, m.SchemaName, m.SchemaType)).ToList(), alt.Features, alt.IfCond, alt.SchemaName, alt.Info),
        _ => e,
    };
}
