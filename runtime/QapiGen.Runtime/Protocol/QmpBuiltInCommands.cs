using System;
using System.Collections.Generic;
using System.Text.Json;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// The replies of the QMP commands every generated server answers, whether or not its schema defines them:
/// <c>query-version</c> and <c>query-commands</c> (<c>qmp_capabilities</c> is the session's, <c>query-qmp-schema</c>
/// is the generated introspection data). A generated <c>QapiDispatcher</c> calls these for the commands its schema
/// lacks; a schema that defines one gets its own handler instead. The shapes are QEMU's, so any QMP client reads them.
/// </summary>
public static class QmpBuiltInCommands
{
    /// <summary><c>query-version</c>: <c>{"qemu": {"micro": .., "minor": .., "major": ..}, "package": ..}</c>, as in the greeting.</summary>
    /// <param name="version">Usually the session's <see cref="QmpSessionOptions.Version"/>.</param>
    public static QmpReply QueryVersion(QmpVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return QmpReply.FromGeneratedWriter(version, QmpMessages.WriteVersion);
    }

    /// <summary><c>query-commands</c>: <c>[{"name": ..}, ..]</c>, one object per command in <paramref name="commands"/>'s order.</summary>
    /// <param name="commands">Every command the server serves, itself and the other built-ins included.</param>
    public static QmpReply QueryCommands(IReadOnlyList<QmpCommandInfo> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return QmpReply.FromGeneratedWriter(commands, WriteCommands);
    }

    private static void WriteCommands(Utf8JsonWriter w, IReadOnlyList<QmpCommandInfo> commands)
    {
        w.WriteStartArray();
        foreach (QmpCommandInfo command in commands)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, command.Name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
