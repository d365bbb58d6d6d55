using System.Linq;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// Which protocol the generated client speaks, read from the schema itself. QAPI has two: QMP,
/// whose schema defines <c>qmp_capabilities</c> (the negotiation every QMP client runs), and the
/// guest-agent protocol, whose schema defines <c>guest-sync-delimited</c> (the resynchronisation
/// every guest-agent client runs) and no <c>qmp_capabilities</c>. A schema with the latter shape gets a
/// client on the runtime's <c>QgaClient</c>; every other schema gets one on <c>QmpClient</c>. The
/// schema decides rather than an option because a client of the wrong dialect cannot work at all:
/// a QMP client waits for a greeting the agent never sends, and a guest-agent client relies on the
/// sync command being in the schema.
/// </summary>
internal enum ClientDialect
{
    Qmp,
    GuestAgent,
}

internal static class ClientDialects
{
    public static ClientDialect Of(SchemaSpec spec) =>
        spec.Commands.Any(c => c.Wire == "guest-sync-delimited") && !spec.Commands.Any(c => c.Wire == "qmp_capabilities")
            ? ClientDialect.GuestAgent
            : ClientDialect.Qmp;
}
